#!/usr/bin/python3
"""Small traffic peers for the network lab (standard library only).

Each subcommand does one exchange, prints what it saw and exits non-zero
when the exchange did not happen as intended, so a scenario script can
tell a real capture from an empty one.

  dns SERVER NAME...            A query per name to SERVER:53; prints NAME IP
  tls ADDR PORT SNI PATH        TLS 1.3 with SNI, one HTTP/1.0 GET inside
  http ADDR PORT HOST PATH [BODYLEN]
                                plain HTTP/1.0 GET with a Host header; with
                                BODYLEN, the body must have that length
  bosh ADDR PORT HOST DOMAIN    XEP-0124 session request (XMPP over HTTP)
  http-post ADDR PORT HOST PATH NBYTES
                                upload NBYTES in one HTTP/1.0 POST
  http-sink ADDR PORT           answer one POST with 200 once its whole
                                body (Content-Length) has arrived
  tcp-expect ADDR PORT OUTCOME  connect; OUTCOME is refused or timeout
  udp-expect ADDR PORT OUTCOME  send one SIP OPTIONS; OUTCOME is
                                unreachable (ICMP) or timeout
  rtp LADDR LPORT RADDR RPORT COUNT SSRC
                                send COUNT PCMU RTP packets (20 ms apart) and
                                receive COUNT; RADDR "-" answers whoever
                                sends first (symmetric RTP, RFC 4961)
"""

import socket
import ssl
import struct
import sys
import time

# Connection timeout of the TCP probes: long enough for the kernel to
# retransmit an unanswered SYN at least twice (its first retry is at 1 s).
PROBE_TIMEOUT = 5.0


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def dns_query(server, name, txid):
    """One A query (RFC 1035 4.1) over UDP; returns the first A address."""
    qname = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    # Header: ID, flags RD, QDCOUNT 1; question: QNAME, QTYPE A, QCLASS IN.
    query = struct.pack(">HHHHHH", txid, 0x0100, 1, 0, 0, 0) + qname + \
        b"\x00" + struct.pack(">HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2.0)
        s.connect((server, 53))
        s.send(query)
        resp = s.recv(1500)
    rid, flags, qd, an = struct.unpack(">HHHH", resp[:8])
    if rid != txid or flags & 0x000F != 0 or an == 0:
        fail("%s: bad DNS answer (rcode %d, %d answers)"
             % (name, flags & 0x000F, an))
    off = 12 + len(qname) + 1 + 4
    for _ in range(an):
        # Answers use a compression pointer (2 bytes) to the question name.
        if resp[off] & 0xC0 != 0xC0:
            fail(name + ": unexpected answer name encoding")
        rtype, _, _, rdlen = struct.unpack(">HHIH", resp[off + 2:off + 12])
        rdata = resp[off + 12:off + 12 + rdlen]
        if rtype == 1 and rdlen == 4:
            return socket.inet_ntoa(rdata)
        off += 12 + rdlen
    fail(name + ": no A record in the answer")
    return None


def cmd_dns(args):
    server = args[0]
    for i, name in enumerate(args[1:]):
        # Fixed transaction IDs keep re-recorded captures comparable.
        print(name, dns_query(server, name, 0x4000 + i))


def read_all(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def http_request(method, path, host, body=b"", ctype=None):
    head = "%s %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: ringscope-lab\r\n" \
        % (method, path, host)
    if ctype:
        head += "Content-Type: %s\r\nContent-Length: %d\r\n" \
            % (ctype, len(body))
    return (head + "\r\n").encode() + body


def check_status(what, resp, want=b" 200 "):
    line = resp.split(b"\r\n", 1)[0]
    print(what, line.decode(errors="replace"), len(resp), "bytes")
    if want not in line:
        fail(what + ": unexpected response")


def cmd_tls(args):
    addr, port, sni, path = args[0], int(args[1]), args[2], args[3]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # The lab's servers use a throw-away self-signed certificate.
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    with socket.create_connection((addr, port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname=sni) as s:
            s.sendall(http_request("GET", path, sni))
            resp = read_all(s)
            version = s.version()
    print(sni, version, end=" ")
    check_status("tls", resp)


def cmd_http(args):
    addr, port, host, path = args[0], int(args[1]), args[2], args[3]
    with socket.create_connection((addr, port), timeout=20) as s:
        s.sendall(http_request("GET", path, host))
        resp = read_all(s)
    check_status("http " + host, resp)
    if len(args) > 4:
        body = resp.split(b"\r\n\r\n", 1)[-1]
        if len(body) != int(args[4]):
            fail("http: body of %d bytes, expected %s" % (len(body), args[4]))


def cmd_bosh(args):
    addr, port, host, domain = args[0], int(args[1]), args[2], args[3]
    # XEP-0124 section 7.1 session creation request (XEP-0206 attributes).
    body = ("<body rid='1573741820' xmlns='http://jabber.org/protocol/"
            "httpbind' to='%s' xml:lang='en' wait='60' hold='1' ver='1.6' "
            "xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh'/>"
            % domain).encode()
    with socket.create_connection((addr, port), timeout=5) as s:
        s.sendall(http_request("POST", "/http-bind", host, body,
                               "text/xml; charset=utf-8"))
        resp = read_all(s)
    check_status("bosh " + host, resp)
    if b"stream:features" not in resp:
        fail("bosh: no stream features in the session response")


def upload_body(n):
    """NBYTES of a fixed text, so every recording sends the same bytes."""
    line = b"ringscope lab upload\n"
    return (line * (n // len(line) + 1))[:n]


def cmd_http_post(args):
    addr, port, host, path = args[0], int(args[1]), args[2], args[3]
    body = upload_body(int(args[4]))
    with socket.create_connection((addr, port), timeout=20) as s:
        s.sendall(http_request("POST", path, host, body,
                               "application/octet-stream"))
        resp = read_all(s)
    check_status("http-post %s %d bytes" % (host, len(body)), resp)


def cmd_http_sink(args):
    addr, port = args[0], int(args[1])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as ls:
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((addr, port))
        ls.listen(1)
        conn, _ = ls.accept()
        with conn:
            conn.settimeout(20)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, body = data.split(b"\r\n\r\n", 1)
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            ok = len(body) == length and body == upload_body(length)
            conn.sendall(b"HTTP/1.0 %s\r\nContent-Length: 0\r\n\r\n"
                         % (b"200 OK" if ok else b"400 Bad Request"))
    print("http-sink received", len(body), "bytes")
    if not ok:
        fail("http-sink: upload incomplete or corrupted")


def cmd_tcp_expect(args):
    addr, port, want = args[0], int(args[1]), args[2]
    try:
        socket.create_connection((addr, port), timeout=PROBE_TIMEOUT).close()
        got = "connected"
    except ConnectionRefusedError:
        got = "refused"
    except socket.timeout:
        got = "timeout"
    print("tcp %s:%d %s" % (addr, port, got))
    if got != want:
        fail("expected " + want)


def sip_options(laddr, lport, raddr):
    """A complete SIP OPTIONS request (RFC 3261 8.1.1, 11) with fixed tags."""
    return ("OPTIONS sip:%s SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-ringscope-lab-1;rport\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:phone@%s>;tag=lab1\r\n"
            "To: <sip:%s>\r\n"
            "Call-ID: ringscope-lab-options-1@%s\r\n"
            "CSeq: 1 OPTIONS\r\n"
            "Accept: application/sdp\r\n"
            "Content-Length: 0\r\n\r\n"
            % (raddr, laddr, lport, laddr, raddr, laddr)).encode()


def cmd_udp_expect(args):
    addr, port, want = args[0], int(args[1]), args[2]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2.0)
        # A connected UDP socket reports an ICMP port unreachable as
        # ECONNREFUSED on the next receive.
        s.connect((addr, port))
        laddr, lport = s.getsockname()
        s.send(sip_options(laddr, lport, addr))
        try:
            s.recv(1500)
            got = "echo"
        except ConnectionRefusedError:
            got = "unreachable"
        except socket.timeout:
            got = "timeout"
    print("udp %s:%d %s" % (addr, port, got))
    if got != want:
        fail("expected " + want)


def rtp_packet(seq, ssrc):
    """RTP v2 (RFC 3550 5.1), PT 0 (PCMU), 20 ms of 8 kHz digital silence."""
    return struct.pack(">BBHII", 0x80, 0, seq & 0xFFFF, seq * 160, ssrc) + \
        b"\xff" * 160


def cmd_rtp(args):
    laddr, lport, raddr = args[0], int(args[1]), args[2]
    rport, count, ssrc = int(args[3]), int(args[4]), int(args[5], 0)
    got = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((laddr, lport))
        if raddr == "-":
            # Answer the address the first packet came from, as a
            # symmetric-RTP server behind no NAT of its own would.
            s.settimeout(5.0)
            _, peer = s.recvfrom(2048)
            got = 1
        else:
            peer = (raddr, rport)
        # One packet every 20 ms (the packetization time), receiving in
        # between; then up to 1 s more for the peer's last packets.
        start = time.monotonic()
        for seq in range(count + 50):
            if seq < count:
                s.sendto(rtp_packet(1000 + seq, ssrc), peer)
            elif got >= count:
                break
            while True:
                left = start + (seq + 1) * 0.020 - time.monotonic()
                if left <= 0:
                    break
                s.settimeout(left)
                try:
                    s.recvfrom(2048)
                    got += 1
                except socket.timeout:
                    break
    print("rtp ssrc %#x sent %d received %d" % (ssrc, count, got))
    if got != count:
        fail("rtp: expected %d packets" % count)


COMMANDS = {
    "dns": (cmd_dns, 2),
    "tls": (cmd_tls, 4),
    "http": (cmd_http, 4),
    "bosh": (cmd_bosh, 4),
    "http-post": (cmd_http_post, 5),
    "http-sink": (cmd_http_sink, 2),
    "tcp-expect": (cmd_tcp_expect, 3),
    "udp-expect": (cmd_udp_expect, 3),
    "rtp": (cmd_rtp, 6),
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS or \
            len(sys.argv) - 2 < COMMANDS[sys.argv[1]][1]:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    COMMANDS[sys.argv[1]][0](sys.argv[2:])


if __name__ == "__main__":
    main()
