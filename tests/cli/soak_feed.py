#!/usr/bin/env python3
"""Writes an endless classic pcap to standard output for the soak test.

The input captures (Ethernet, classic pcap) are laid end to end into one
"loop", and the loop is written again and again:

- timestamps move forward every loop, and the captures of a loop are
  separated by --gap seconds of silence, more than any flow timeout of the
  analysis, so every flow of one capture has expired (by packet time)
  before the next one starts;
- loop k moves every IPv4 address a.b.c.d to a.b.(c + k).(d + k / 256)
  (each octet mod 256), so new endpoints keep appearing for 65536 loops
  while the first two octets, and with them private or public, stay;
  IPv4 header and ICMP checksums are recomputed and the TCP and UDP
  checksums updated (RFC 1624), so each stays as right as it was in the
  source capture; ICMP errors quoting an IPv4 packet move its addresses
  too, so they still point at their flow.

Every loop therefore makes the same number of flows as the first.  The
feed stops after --loops loops, or at the end of the first loop that ends
after --seconds seconds of wall time; then it writes "LOOPS PACKETS" to
--count-file.  A closed pipe (the reader stopped) ends it quietly.
Python standard library only.
"""

import argparse
import os
import struct
import sys
import time

LINKTYPE_ETHERNET = 1
ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_VLAN = (0x8100, 0x88A8)


def read_pcap(path):
    """Returns [(ts_us, orig_len, frame)] of a classic Ethernet pcap."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        sys.exit(f"soak_feed: {path}: too short for a pcap header")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        sys.exit(f"soak_feed: {path}: not a classic pcap file")
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    if linktype != LINKTYPE_ETHERNET:
        sys.exit(f"soak_feed: {path}: link type {linktype}, not Ethernet")
    packets = []
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(endian + "IIII",
                                              data[off:off + 16])
        off += 16
        if off + incl > len(data):
            break  # a truncated last record is left out
        us = frac // 1000 if nano else frac
        packets.append((sec * 1000000 + us, orig, data[off:off + incl]))
        off += incl
    return packets


def csum_fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def ones_complement_sum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data = bytes(data) + b"\0"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    return (~csum_fold(s)) & 0xFFFF


def ipv4_header_checksum(hdr):
    s = 0
    for i in range(0, len(hdr), 2):
        if i == 10:
            continue
        s += (hdr[i] << 8) | hdr[i + 1]
    return (~csum_fold(s)) & 0xFFFF


class Template:
    """One frame with the offsets the per-loop rewrite needs."""

    __slots__ = ("ts", "orig", "frame", "ip", "ihl", "l4sum", "udp",
                 "icmp", "icmp_end", "inner", "inner_ihl", "inner_sum")

    def __init__(self, ts, orig, frame):
        self.ts = ts
        self.orig = orig
        self.frame = frame
        self.ip = -1
        self.ihl = 0
        self.l4sum = -1
        self.udp = False
        self.icmp = -1          # ICMP error quoting an IPv4 packet
        self.icmp_end = 0
        self.inner = -1
        self.inner_ihl = 0
        self.inner_sum = -1     # the quoted packet's UDP checksum
        off = 12
        if len(frame) < off + 2:
            return
        etype = struct.unpack_from(">H", frame, off)[0]
        while etype in ETHERTYPE_VLAN and len(frame) >= off + 6:
            off += 4
            etype = struct.unpack_from(">H", frame, off)[0]
        ip = off + 2
        if etype != ETHERTYPE_IPV4 or len(frame) < ip + 20:
            return
        if frame[ip] >> 4 != 4:
            return
        ihl = (frame[ip] & 0x0F) * 4
        if ihl < 20 or len(frame) < ip + ihl:
            return
        self.ip = ip
        self.ihl = ihl
        frag = struct.unpack_from(">H", frame, ip + 6)[0]
        if frag & 0x1FFF:
            return  # later fragments carry no L4 header
        proto = frame[ip + 9]
        l4 = ip + ihl
        if proto == 6 and len(frame) >= l4 + 18:
            self.l4sum = l4 + 16
        elif proto == 17 and len(frame) >= l4 + 8:
            self.l4sum = l4 + 6
            self.udp = True
        elif proto == 1 and len(frame) >= l4 + 28 and \
                frame[l4] in (3, 4, 5, 11, 12) and frame[l4 + 8] >> 4 == 4:
            inner_ihl = (frame[l4 + 8] & 0x0F) * 4
            if inner_ihl < 20 or len(frame) < l4 + 8 + inner_ihl:
                return
            total = struct.unpack_from(">H", frame, ip + 2)[0]
            self.icmp = l4
            self.icmp_end = min(len(frame), ip + total)
            self.inner = l4 + 8
            self.inner_ihl = inner_ihl
            if frame[l4 + 8 + 9] == 17 and \
                    len(frame) >= l4 + 8 + inner_ihl + 8:
                self.inner_sum = l4 + 8 + inner_ihl + 6

    @staticmethod
    def shift(b, ip, ihl, k):
        """Moves the addresses of the IPv4 header at ip for loop k, fixes
        its checksum, and returns the changed 16-bit words, old and new."""
        old = (struct.unpack_from(">H", b, ip + 14)[0],
               struct.unpack_from(">H", b, ip + 18)[0])
        for a in (ip + 12, ip + 16):
            b[a + 2] = (b[a + 2] + k) & 0xFF
            b[a + 3] = (b[a + 3] + (k >> 8)) & 0xFF
        new = (struct.unpack_from(">H", b, ip + 14)[0],
               struct.unpack_from(">H", b, ip + 18)[0])
        struct.pack_into(">H", b, ip + 10,
                         ipv4_header_checksum(b[ip:ip + ihl]))
        return old, new

    @staticmethod
    def update_l4(b, at, udp, old, new):
        """RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), for the pseudo-header
        words that changed."""
        hc = struct.unpack_from(">H", b, at)[0]
        if udp and hc == 0:
            return  # UDP without checksum
        s = (~hc) & 0xFFFF
        for m, m2 in zip(old, new):
            s += ((~m) & 0xFFFF) + m2
        hc2 = (~csum_fold(s)) & 0xFFFF
        if udp and hc2 == 0:
            hc2 = 0xFFFF
        struct.pack_into(">H", b, at, hc2)

    def rewrite(self, k):
        """The frame of loop k (see the module's comment)."""
        if self.ip < 0 or k % 65536 == 0:
            return self.frame
        b = bytearray(self.frame)
        old, new = self.shift(b, self.ip, self.ihl, k)
        if self.l4sum >= 0:
            self.update_l4(b, self.l4sum, self.udp, old, new)
        if self.icmp >= 0:
            # The quoted packet moves with its flow, so the error still
            # points at it; the ICMP checksum covers the quote.
            old, new = self.shift(b, self.inner, self.inner_ihl, k)
            if self.inner_sum >= 0:
                self.update_l4(b, self.inner_sum, True, old, new)
            struct.pack_into(">H", b, self.icmp + 2, 0)
            struct.pack_into(">H", b, self.icmp + 2, ones_complement_sum(
                b[self.icmp:self.icmp_end]))
        return bytes(b)


def build_loop(paths, gap_us):
    """The frames of one loop, times relative to the loop's start."""
    loop = []
    start = 0
    for path in paths:
        packets = read_pcap(path)
        if not packets:
            continue
        t0 = packets[0][0]
        last = start
        for ts, orig, frame in packets:
            rel = start + max(ts - t0, 0)
            loop.append(Template(rel, orig, frame))
            last = max(last, rel)
        start = last + gap_us
    if not loop:
        sys.exit("soak_feed: the captures hold no packets")
    return loop, start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pcaps", nargs="+")
    ap.add_argument("--gap", type=float, default=90.0,
                    help="seconds of silence after each capture (90)")
    ap.add_argument("--loops", type=int, default=0,
                    help="stop after this many loops (0: no limit)")
    ap.add_argument("--seconds", type=float, default=0.0,
                    help="stop after the loop that ends past this many "
                         "seconds of wall time (0: no limit)")
    ap.add_argument("--count-file",
                    help="write 'LOOPS PACKETS' here at the end")
    ap.add_argument("--start", type=int, default=1700000000,
                    help="epoch seconds of the first packet")
    args = ap.parse_args()

    loop, period = build_loop(args.pcaps, int(args.gap * 1000000))
    out = sys.stdout.buffer
    base = args.start * 1000000
    deadline = time.monotonic() + args.seconds if args.seconds > 0 else None
    loops = packets = 0
    try:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535,
                              LINKTYPE_ETHERNET))
        while True:
            if args.loops and loops >= args.loops:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
            chunk = []
            for t in loop:
                ts = base + t.ts
                frame = t.rewrite(loops)
                chunk.append(struct.pack("<IIII", ts // 1000000,
                                         ts % 1000000, len(frame), t.orig))
                chunk.append(frame)
            out.write(b"".join(chunk))
            loops += 1
            packets += len(loop)
            base += period
        out.flush()
    except BrokenPipeError:
        # The reader stopped (the SIGINT test): not an error of the feed.
        # Point stdout at /dev/null so the flush at exit is silent too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        if args.count_file:
            with open(args.count_file, "w") as f:
                f.write(f"{loops} {packets}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
