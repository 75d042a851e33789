#!/usr/bin/env python3
"""Writes the hostile and broken captures of check_hostile.sh into a
directory.  Deterministic (fixed seeds, fixed timestamps) and generated at
test time, so no binary junk is stored in the tree.

usage: make_hostile.py OUTDIR [FLOOD_FLOWS]
"""
import random
import struct
import sys

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
ETH_HDR = b'\x02\x00\x00\x00\x00\x01' + b'\x02\x00\x00\x00\x00\x02' + b'\x08\x00'


def csum(data):
    if len(data) % 2:
        data += b'\x00'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload, ident=0, flags_off=0, total=None):
    """An IPv4 header (no options) in front of payload; flags_off is the
    16-bit flags and fragment offset field."""
    tl = total if total is not None else 20 + len(payload)
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, tl, ident, flags_off, 64,
                      proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload


def udp(sport, dport, payload):
    # Checksum 0: not computed (RFC 768), keeps generation fast.
    return struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload


def eth_udp(src, dst, sport, dport, payload, ident=0):
    return ETH_HDR + ipv4(src, dst, 17, udp(sport, dport, payload), ident)


def fragments(src, dst, datagram, ident, size=1480):
    """Splits an IP payload (UDP header included) into Ethernet frames of
    IPv4 fragments of size bytes (a multiple of 8)."""
    out = []
    for off in range(0, len(datagram), size):
        more = 0x2000 if off + size < len(datagram) else 0
        part = datagram[off:off + size]
        out.append(ETH_HDR + ipv4(src, dst, 17, part, ident,
                                  more | (off // 8)))
    return out


class Pcap:
    """A classic little-endian microsecond pcap writer."""

    def __init__(self, path, linktype=LINKTYPE_ETHERNET, snaplen=262144,
                 magic=0xa1b2c3d4):
        self.f = open(path, 'wb')
        self.f.write(struct.pack('<IHHiIII', magic, 2, 4, 0, 0, snaplen,
                                 linktype))
        self.ts = 1700000000 * 1000000

    def add(self, frame, step_us=100, caplen=None, wirelen=None):
        self.ts += step_us
        cl = len(frame) if caplen is None else caplen
        wl = len(frame) if wirelen is None else wirelen
        self.f.write(struct.pack('<IIII', self.ts // 1000000,
                                 self.ts % 1000000, cl, wl))
        self.f.write(frame)

    def close(self):
        self.f.close()


def write_frames(path, frames, step_us=100):
    p = Pcap(path)
    for fr in frames:
        p.add(fr, step_us)
    p.close()


A = (10, 0, 0, 1)
B = (192, 0, 2, 10)


def wrong_magic(path):
    p = Pcap(path, magic=0x12345678)
    p.add(eth_udp(A, B, 1000, 2000, b'x'))
    p.close()


def huge_lengths(path):
    """A good packet, then a record whose captured length is 2 GiB."""
    p = Pcap(path)
    p.add(eth_udp(A, B, 1000, 2000, b'hello'))
    p.add(b'', caplen=0x7fffffff, wirelen=0x7fffffff)
    p.close()


def wire_shorter(path):
    """Records whose wire length is smaller than the captured length,
    and one with wire length 0xffffffff: inconsistent but readable."""
    p = Pcap(path)
    fr = eth_udp(A, B, 1000, 2000, b'hello world')
    p.add(fr, wirelen=10)
    p.add(fr, wirelen=0xffffffff)
    p.add(fr)
    p.close()


def pcapng_block(btype, body):
    pad = (-len(body)) % 4
    total = 12 + len(body) + pad
    return struct.pack('<II', btype, total) + body + b'\x00' * pad + \
        struct.pack('<I', total)


def pcapng_shb():
    return pcapng_block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))


def pcapng_idb(linktype, snaplen=262144):
    return pcapng_block(1, struct.pack('<HHI', linktype, 0, snaplen))


def pcapng_epb(ifid, ts_us, frame):
    body = struct.pack('<IIIII', ifid, ts_us >> 32, ts_us & 0xffffffff,
                       len(frame), len(frame)) + frame
    return pcapng_block(6, body)


def pcapng_unknown(path):
    """Blocks of types no reader knows (a local-use type and an unassigned
    one, RFC draft-ietf-opsawg-pcapng section 11.1) between packets."""
    ts = 1700000000 * 1000000
    with open(path, 'wb') as f:
        f.write(pcapng_shb())
        f.write(pcapng_block(0x80000123, b'local use block body'))
        f.write(pcapng_idb(LINKTYPE_ETHERNET))
        for i in range(10):
            f.write(pcapng_epb(0, ts + i * 1000,
                               eth_udp(A, B, 1000 + i, 2000, b'p%d' % i)))
            f.write(pcapng_block(0x00000BAD, b'\x01\x02\x03\x04' * (i + 1)))


def pcapng_two_links(path):
    """Two interfaces of different link types (Ethernet and raw IP), with
    packets on both."""
    ts = 1700000000 * 1000000
    with open(path, 'wb') as f:
        f.write(pcapng_shb())
        f.write(pcapng_idb(LINKTYPE_ETHERNET))
        f.write(pcapng_idb(LINKTYPE_RAW))
        for i in range(10):
            fr = eth_udp(A, B, 1000 + i, 2000, b'p%d' % i)
            f.write(pcapng_epb(i % 2, ts + i * 1000,
                               fr if i % 2 == 0 else fr[14:]))


def frag_flood(path, n=5000):
    """First fragments only, each with its own IP ID: reassembly state
    that never completes must stay bounded and time out."""
    frames = []
    payload = udp(4000, 5060, b'F' * 1472)
    for i in range(n):
        src = (10, 1, (i >> 8) & 0xff, i & 0xff)
        frames.append(ETH_HDR + ipv4(src, B, 17, payload[:1480], i & 0xffff,
                                     0x2000))
    write_frames(path, frames, step_us=10)


def frag_overlap(path):
    """Overlapping fragments with different bytes (the teardrop and
    RFC 5722 cases), a zero-length fragment and one past 65535."""
    data = udp(4000, 5060, b'O' * 3000)
    frames = []
    for ident in range(1, 6):
        fr = fragments(A, B, data, ident, size=1480)
        frames.extend(fr)
        # The same region again with other bytes, shifted by 8.
        frames.append(ETH_HDR + ipv4(A, B, 17, b'X' * 1480, ident,
                                     0x2000 | 1))
    # An offset that ends past the 65535-byte maximum.
    frames.append(ETH_HDR + ipv4(A, B, 17, b'Y' * 1480, 9, 0x1fff))
    frames.append(ETH_HDR + ipv4(A, B, 17, b'', 10, 0x2000))
    frames.append(ETH_HDR + ipv4(A, B, 17, b'Z' * 16, 10, 0))
    # Teardrop: the second fragment lies inside the first.
    frames.append(ETH_HDR + ipv4(A, B, 17, udp(1, 2, b'T' * 28), 11, 0x2000))
    frames.append(ETH_HDR + ipv4(A, B, 17, b'T' * 4, 11, 1))
    write_frames(path, frames)


def sip_headers(path, n=10000):
    """One SIP request with n headers in one UDP datagram, fragmented."""
    head = b'OPTIONS sip:b@192.0.2.10 SIP/2.0\r\n' \
           b'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n' \
           b'From: <sip:a@10.0.0.1>;tag=1\r\nTo: <sip:b@192.0.2.10>\r\n' \
           b'Call-ID: hostile@10.0.0.1\r\nCSeq: 1 OPTIONS\r\n'
    body = b''.join(b'X%d:y\r\n' % (i % 10) for i in range(n))
    msg = head + body + b'Content-Length: 0\r\n\r\n'
    msg = msg[:65507]
    write_frames(path, fragments(A, B, udp(5060, 5060, msg), 77))


def dns_loops(path):
    """Responses whose names are compression loops and endless chains."""
    q = b'\x03www\x07example\x03com\x00\x00\x01\x00\x01'

    def hdr(an):
        return struct.pack('!HHHHHH', 0x4242, 0x8180, 1, an, 0, 0)
    msgs = [
        hdr(1) + q + b'\xc0\x1d' + struct.pack('!HHIH', 1, 1, 60, 4) + b'\x01\x02\x03\x04',
        hdr(1) + q + b'\xc0\x1f\xc0\x1d' + struct.pack('!HHIH', 1, 1, 60, 4) + b'\x01\x02\x03\x04',
        struct.pack('!HHHHHH', 1, 0x8180, 1, 0, 0, 0) + b'\xc0\x0c\x00\x01\x00\x01',
        hdr(1) + q + b'\x01a' * 100 + b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 60, 4) + b'\x01\x02\x03\x04',
    ]
    frames = [eth_udp(B, A, 53, 33000 + i, m) for i, m in enumerate(msgs)]
    write_frames(path, frames)


def rtp_ssrcs(path, n=5000):
    """One UDP 5-tuple carrying RTP with a new SSRC in every packet."""
    frames = []
    for i in range(n):
        rtp = struct.pack('!BBHII', 0x80, 0, i & 0xffff, i * 160,
                          0x10000000 + i) + b'\xd5' * 160
        frames.append(eth_udp(A, B, 40000, 20000, rtp, ident=i & 0xffff))
    write_frames(path, frames, step_us=20000)


def flow_flood(path, n):
    """n tiny UDP flows, one packet each, from distinct sources."""
    p = Pcap(path)
    f = p.f
    ts = p.ts
    udp_payload = b'x'
    for i in range(n):
        src = (10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)
        fr = eth_udp(src, B, 1024 + (i % 50000), 9999, udp_payload)
        ts += 10
        f.write(struct.pack('<IIII', ts // 1000000, ts % 1000000,
                            len(fr), len(fr)))
        f.write(fr)
    p.close()


def main():
    out = sys.argv[1]
    flood = int(sys.argv[2]) if len(sys.argv) > 2 else 300000
    random.seed(1)
    wrong_magic(out + '/wrong-magic.pcap')
    huge_lengths(out + '/huge-length.pcap')
    wire_shorter(out + '/wire-shorter.pcap')
    pcapng_unknown(out + '/unknown-blocks.pcapng')
    pcapng_two_links(out + '/two-links.pcapng')
    frag_flood(out + '/frag-flood.pcap')
    frag_overlap(out + '/frag-overlap.pcap')
    sip_headers(out + '/sip-10000-headers.pcap')
    dns_loops(out + '/dns-loops.pcap')
    rtp_ssrcs(out + '/rtp-ssrcs.pcap')
    flow_flood(out + '/flow-flood.pcap', flood)


if __name__ == '__main__':
    main()
