#!/usr/bin/env python3
"""Compare ringscope's rtp_streams with tshark's RTP stream statistics.

Usage: tshark_rtp.py TSHARK CAPTURE DB

tshark sees RTP without SDP only through its heuristic dissector, so it
runs with `-o rtp.heuristic_rtp:TRUE`.  The heuristic gives up on a port
that another dissector claims first (UDP 12000 in webrtc-media.pcap is
taken by a legacy protocol), so every UDP port that ringscope found RTP
on is also given to RTP with `-d udp.port==P,rtp`.  Forcing a port this
way makes tshark count every version-2 datagram on it; STUN on the same
port is version 0 and never enters the statistics.

Every stream of either tool (source, destination and SSRC) must be in the
other.  For each pair: the same packet count, lost within one packet
(tshark counts a stream from its first packet; so do we, but a capture that
starts mid-loss may differ by one), and max delta and max jitter equal at
the precision tshark prints (3 decimals).
"""
import re
import sqlite3
import subprocess
import sys

LINE = re.compile(
    r'^\s*(?P<start>[\d.]+)\s+(?P<end>[\d.]+)\s+'
    r'(?P<src>\S+)\s+(?P<sport>\d+)\s+(?P<dst>\S+)\s+(?P<dport>\d+)\s+'
    r'(?P<ssrc>0x[0-9A-Fa-f]+)\s+(?P<payload>.*?)\s+'
    r'(?P<pkts>\d+)\s+(?P<lost>-?\d+)\s+\((?P<lost_pct>-?[\d.]+)%\)\s+'
    r'(?P<min_delta>[\d.]+)\s+(?P<mean_delta>[\d.]+)\s+'
    r'(?P<max_delta>[\d.]+)\s+(?P<min_jitter>[\d.]+)\s+'
    r'(?P<mean_jitter>[\d.]+)\s+(?P<max_jitter>[\d.]+)\s*(?P<problem>X?)\s*$')

# tshark prints milliseconds with 3 decimals; ours are rounded the same way.
TOLERANCE_MS = 0.0006


def tshark_streams(tshark, capture, ports):
    cmd = [tshark, '-n', '-r', capture, '-q',
           '-o', 'rtp.heuristic_rtp:TRUE']
    for port in sorted(ports):
        cmd += ['-d', 'udp.port==%d,rtp' % port]
    cmd += ['-z', 'rtp,streams']
    out = subprocess.run(cmd, check=True, capture_output=True,
                         text=True).stdout
    streams = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        key = (m.group('src'), int(m.group('sport')), m.group('dst'),
               int(m.group('dport')), int(m.group('ssrc'), 16))
        streams[key] = m
    return streams


def main():
    tshark, capture, db = sys.argv[1:4]
    con = sqlite3.connect(db)
    rows = con.execute(
        'SELECT src_ip, src_port, dst_ip, dst_port, ssrc, packets, lost, '
        'max_delta_ms, jitter_ms FROM rtp_streams').fetchall()
    ours = {}
    ports = set()
    for r in rows:
        ours[(r[0], r[1], r[2], r[3], r[4])] = r
        ports.add(r[1])
        ports.add(r[3])
    theirs = tshark_streams(tshark, capture, ports)

    problems = 0
    for key in sorted(set(ours) | set(theirs)):
        name = '%s:%d -> %s:%d SSRC 0x%08X' % key
        if key not in theirs:
            print('  only ringscope has %s' % name)
            problems += 1
            continue
        if key not in ours:
            print('  only tshark has %s' % name)
            problems += 1
            continue
        r, m = ours[key], theirs[key]
        checks = [
            ('packets', r[5], int(m.group('pkts')), 0),
            ('lost', r[6], int(m.group('lost')), 1),
            ('max delta', r[7], float(m.group('max_delta')), TOLERANCE_MS),
            ('max jitter', r[8], float(m.group('max_jitter')),
             TOLERANCE_MS),
        ]
        for what, mine, their, tol in checks:
            if abs(mine - their) > tol:
                print('  %s: %s %s, tshark %s' % (name, what, mine, their))
                problems += 1
    print('  %d stream(s) compared' % len(theirs))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
