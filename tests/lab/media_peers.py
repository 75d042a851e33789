#!/usr/bin/python3
"""Media peers for the network lab (standard library only).

The parts of a WebRTC call that no packaged headless program plays here,
and a traceroute-like prober.  Each subcommand prints what it saw and
exits non-zero when the exchange did not happen as intended.

  webrtc-server ADDR PORT
        a media server on one UDP port, as an ICE-lite server would run
        it: it answers ICE connectivity / consent checks (STUN Binding
        requests with USERNAME, PRIORITY, ICE-CONTROLLING,
        MESSAGE-INTEGRITY and FINGERPRINT, RFC 8445 section 7.2) with a
        Binding success response carrying XOR-MAPPED-ADDRESS (the address
        and port the request came from, RFC 5389 section 15.2); once RTP
        arrives it sends its own PCMU stream to that address (symmetric
        RTP, RFC 4961) until the client's RTP stops for 0.1 s, then exits
  webrtc-client LPORT ADDR PORT SECS OUTCOME
        from local port LPORT: a connectivity check to ADDR:PORT,
        retransmitted on the RFC 5389 section 7.2.1 schedule (0, 0.5, 1.5,
        3.5 s) for at most 5 s; once answered, SECS seconds of PCMU RTP
        (20 ms packets) with a consent check (RFC 7675) every 2 s.
        OUTCOME "answered" wants every check answered and the server's
        RTP; "silent" wants no answer at all (then no media is sent: a
        WebRTC client never sends media on an unchecked path)
  ttl-probe ADDR PORT MAXTTL
        traceroute's UDP method: one datagram to ADDR, destination port
        PORT + hop - 1, with TTL 1..MAXTTL, the next as soon as the last
        is answered (or after 1 s); prints the address of every ICMP
        time-exceeded or port-unreachable answer and stops at the latter
"""

import hashlib
import hmac
import math
import os
import select
import socket
import struct
import sys
import time
import zlib

MAGIC = 0x2112A442
# ICE credentials (RFC 8445 section 5.3) exchanged in the offer/answer the
# lab does not show: the server's ufrag and password authenticate checks.
SERVER_UFRAG = "tw1L"
SERVER_PWD = b"ringscopelabicepassword1"
CLIENT_UFRAG = "Rg5c"
PTIME = 0.020
CONSENT_INTERVAL = 2.0
CHECK_SCHEDULE = (0.0, 0.5, 1.5, 3.5)
CHECK_GIVE_UP = 5.0


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def ulaw(sample):
    """One 16-bit linear sample to G.711 mu-law (the 14-bit reference
    algorithm of ITU-T G.711 / G.191: bias 33, segment, 4-bit step)."""
    pcm = sample >> 2
    mask = 0xFF
    if pcm < 0:
        pcm = -pcm
        mask = 0x7F
    pcm = min(pcm, 8159) + 33
    seg = 0
    while seg < 8 and pcm > (0x40 << seg) - 1:
        seg += 1
    if seg >= 8:
        return 0x7F ^ mask
    return ((seg << 4) | ((pcm >> (seg + 1)) & 0x0F)) ^ mask


def tone(freq, frames):
    """FRAMES packets of 160 samples (20 ms at 8 kHz) of a sine tone."""
    out = []
    for f in range(frames):
        out.append(bytes(ulaw(int(8000 * math.sin(
            2 * math.pi * freq * (f * 160 + i) / 8000))) for i in range(160)))
    return out


class Rtp:
    """RTP v2 sender (RFC 3550 section 5.1), PT 0 (PCMU), 20 ms packets."""

    def __init__(self, ssrc, freq):
        self.ssrc = ssrc
        self.seq = 1000
        self.ts = 160000
        self.frames = tone(freq, 50)
        self.sent = 0

    def packet(self):
        pkt = struct.pack(">BBHII", 0x80, 0, self.seq, self.ts, self.ssrc) + \
            self.frames[self.sent % len(self.frames)]
        self.seq = (self.seq + 1) & 0xFFFF
        self.ts = (self.ts + 160) & 0xFFFFFFFF
        self.sent += 1
        return pkt


def attr(atype, value):
    pad = (4 - len(value) % 4) % 4
    return struct.pack(">HH", atype, len(value)) + value + b"\x00" * pad


def stun_message(mtype, txid, attrs, key):
    """A STUN message ending in MESSAGE-INTEGRITY and FINGERPRINT.

    Each of the two is computed over the message before it, with the
    header's length already counting it (RFC 5389 sections 15.4, 15.5)."""
    body = b"".join(attrs)
    head = struct.pack(">HHI", mtype, len(body) + 24, MAGIC) + txid
    mi = hmac.new(key, head + body, hashlib.sha1).digest()
    body += attr(0x0008, mi)
    head = struct.pack(">HHI", mtype, len(body) + 8, MAGIC) + txid
    crc = (zlib.crc32(head + body) ^ 0x5354554E) & 0xFFFFFFFF
    return head + body + attr(0x8028, struct.pack(">I", crc))


def stun_parse(data):
    """(type, txid, {attr: value}) of a STUN message, or None."""
    if len(data) < 20 or data[0] & 0xC0:
        return None
    mtype, mlen, magic = struct.unpack(">HHI", data[:8])
    if magic != MAGIC or 20 + mlen != len(data):
        return None
    attrs = {}
    off = 20
    while off + 4 <= len(data):
        atype, alen = struct.unpack(">HH", data[off:off + 4])
        attrs[atype] = data[off + 4:off + 4 + alen]
        off += 4 + alen + (4 - alen % 4) % 4
    return mtype, data[8:20], attrs


def integrity_ok(data, key):
    """Checks MESSAGE-INTEGRITY, which comes right before FINGERPRINT."""
    mi_off = len(data) - 8 - 24
    if mi_off < 20 or data[mi_off:mi_off + 4] != b"\x00\x08\x00\x14":
        return False
    head = data[:2] + struct.pack(">H", mi_off + 24 - 20) + data[4:20]
    mac = hmac.new(key, head + data[20:mi_off], hashlib.sha1).digest()
    return hmac.compare_digest(mac, data[mi_off + 4:mi_off + 24])


def xor_address(addr, port):
    """XOR-MAPPED-ADDRESS value for an IPv4 address (RFC 5389 15.2)."""
    a = struct.unpack(">I", socket.inet_aton(addr))[0] ^ MAGIC
    return struct.pack(">BBHI", 0, 1, port ^ (MAGIC >> 16), a)


def unxor_address(value):
    _, family, xport, xaddr = struct.unpack(">BBHI", value[:8])
    if family != 1:
        return None
    return (socket.inet_ntoa(struct.pack(">I", xaddr ^ MAGIC)),
            xport ^ (MAGIC >> 16))


def is_rtp(data):
    return len(data) >= 12 and data[0] >> 6 == 2 and data[1] & 0x7F < 64


def cmd_webrtc_server(args):
    addr, port = args[0], int(args[1])
    # Fixed SSRCs that differ per session keep recordings comparable.
    rtp = Rtp(0x7A110000 | port, 350)
    peer = None
    last_rx = None
    checks = 0
    got = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((addr, port))
        next_tx = None
        while True:
            now = time.monotonic()
            # The client's media stopping ends the session (the hang-up
            # itself travels over signaling, which the lab does not show).
            if last_rx is not None and now - last_rx > 0.1:
                break
            timeout = 0.5 if next_tx is None else max(0, next_tx - now)
            ready, _, _ = select.select([s], [], [], timeout)
            if ready:
                data, src = s.recvfrom(2048)
                msg = stun_parse(data)
                if msg and msg[0] == 0x0001:
                    # A check for this server: USERNAME starts with its
                    # own ufrag, and the integrity uses its password.
                    user = msg[2].get(0x0006, b"").decode(errors="replace")
                    if user.startswith(SERVER_UFRAG + ":") and \
                            integrity_ok(data, SERVER_PWD):
                        checks += 1
                        s.sendto(stun_message(0x0101, msg[1], [
                            attr(0x0020, xor_address(*src))], SERVER_PWD),
                            src)
                elif is_rtp(data):
                    got += 1
                    last_rx = time.monotonic()
                    if peer is None:
                        peer = src
                        next_tx = time.monotonic()
            if next_tx is not None and time.monotonic() >= next_tx:
                s.sendto(rtp.packet(), peer)
                next_tx += PTIME
    print("webrtc-server %s:%d: %d checks answered, %d RTP received, "
          "%d sent to %s" % (addr, port, checks, got, rtp.sent, peer))


def binding_request(txid):
    attrs = [
        attr(0x0006, ("%s:%s" % (SERVER_UFRAG, CLIENT_UFRAG)).encode()),
        # PRIORITY of a peer-reflexive candidate (RFC 8445 5.1.2.1).
        attr(0x0024, struct.pack(">I", 110 << 24 | 65535 << 8 | 255)),
        attr(0x802A, struct.pack(">Q", 0x72696E6773636F70)),
    ]
    return stun_message(0x0001, txid, attrs, SERVER_PWD)


def cmd_webrtc_client(args):
    lport, addr, port = int(args[0]), args[1], int(args[2])
    secs, want = float(args[3]), args[4]
    dst = (addr, port)
    rtp = Rtp(0x0CA10000 | lport, 440)
    mapped = set()
    sent_checks = 0
    answered = 0
    got = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", lport))

        def receive(until, first_answer=False):
            nonlocal answered, got
            while True:
                left = until - time.monotonic()
                if left <= 0 or (first_answer and answered):
                    return
                ready, _, _ = select.select([s], [], [], left)
                if not ready:
                    return
                data, _ = s.recvfrom(2048)
                msg = stun_parse(data)
                if msg and msg[0] == 0x0101 and 0x0020 in msg[2] and \
                        integrity_ok(data, SERVER_PWD):
                    answered += 1
                    mapped.add(unxor_address(msg[2][0x0020]))
                elif is_rtp(data):
                    got += 1

        # The connectivity check: one transaction, retransmitted.
        start = time.monotonic()
        txid = os.urandom(12)
        for t in CHECK_SCHEDULE:
            receive(start + t, True)
            if answered:
                break
            s.sendto(binding_request(txid), dst)
            sent_checks += 1
        receive(start + CHECK_GIVE_UP, True)
        if not answered and want == "answered":
            fail("no answer to the connectivity check to %s:%d"
                 % (addr, port))
        if answered:
            # Media, with a consent check every CONSENT_INTERVAL.
            start = time.monotonic()
            next_check = start + CONSENT_INTERVAL
            for n in range(int(secs / PTIME)):
                tick = start + n * PTIME
                receive(tick)
                if tick >= next_check:
                    s.sendto(binding_request(os.urandom(12)), dst)
                    sent_checks += 1
                    next_check += CONSENT_INTERVAL
                s.sendto(rtp.packet(), dst)
            receive(time.monotonic() + 0.3)
    print("webrtc-client %d -> %s:%d: %d checks, %d answered, mapped %s, "
          "%d RTP sent, %d received" % (lport, addr, port, sent_checks,
                                        answered, sorted(mapped), rtp.sent,
                                        got))
    if want == "answered":
        if answered != sent_checks or got < 0.9 * rtp.sent:
            fail("checks or media went unanswered")
    elif answered or got:
        fail("expected no answer at all")


def cmd_ttl_probe(args):
    addr, port, maxttl = args[0], int(args[1]), int(args[2])
    answers = []
    with socket.socket(socket.AF_INET, socket.SOCK_RAW,
                       socket.IPPROTO_ICMP) as icmp, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", 0))
        sport = s.getsockname()[1]
        for ttl in range(1, maxttl + 1):
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
            s.sendto(b"\x00" * 32, (addr, port + ttl - 1))
            hop = "*"
            until = time.monotonic() + 1.0
            while True:
                left = until - time.monotonic()
                if left <= 0:
                    break
                ready, _, _ = select.select([icmp], [], [], left)
                if not ready:
                    break
                pkt, src = icmp.recvfrom(2048)
                ihl = (pkt[0] & 0x0F) * 4
                itype, icode = pkt[ihl], pkt[ihl + 1]
                # The quoted datagram: its IP header, then our UDP ports.
                inner = pkt[ihl + 8:]
                qihl = (inner[0] & 0x0F) * 4 if inner else 0
                if len(inner) < qihl + 4 or \
                        struct.unpack(">H", inner[qihl:qihl + 2])[0] != sport:
                    continue
                if itype in (11, 3):
                    hop = "%s (icmp %d/%d)" % (src[0], itype, icode)
                    answers.append((ttl, src[0], itype))
                    break
            print("hop %d: %s" % (ttl, hop), flush=True)
            if answers and answers[-1][2] == 3:
                break
    if not answers:
        fail("no ICMP answer to any probe")


COMMANDS = {
    "webrtc-server": (cmd_webrtc_server, 2),
    "webrtc-client": (cmd_webrtc_client, 5),
    "ttl-probe": (cmd_ttl_probe, 3),
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS or \
            len(sys.argv) - 2 < COMMANDS[sys.argv[1]][1]:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    COMMANDS[sys.argv[1]][0](sys.argv[2:])


if __name__ == "__main__":
    main()
