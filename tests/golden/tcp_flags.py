#!/usr/bin/env python3
"""Compare ringscope's TCP analysis counts with tshark's, flow by flow.

Usage: tcp_flags.py TSHARK CAPTURE DB

For each TCP conversation and direction, the number of segments tshark
marks with tcp.analysis.retransmission (which it also sets on fast and
spurious retransmissions), fast_retransmission, spurious_retransmission,
out_of_order, duplicate_ack and keep_alive must equal ringscope's counts in
the tcp_analysis table.  Span-port duplicates are the documented exception:
ringscope sets them aside (flag mirror_duplicate) while tshark calls them
retransmissions, so a capture where ringscope found any is compared with
what tshark says of the capture with duplicates removed (editcap -D).
"""
import os
import sqlite3
import subprocess
import sys
import tempfile

FLAGS = ['retransmission', 'fast_retransmission', 'spurious_retransmission',
         'out_of_order', 'duplicate_ack', 'keep_alive']


def tshark_counts(tshark, capture):
    fields = ['tcp.stream', 'ip.src', 'ipv6.src', 'tcp.srcport',
              'ip.dst', 'ipv6.dst', 'tcp.dstport'] + \
             ['tcp.analysis.' + f for f in FLAGS]
    cmd = [tshark, '-n', '-r', capture, '-Y', 'tcp and not icmp and not icmpv6',
           '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=f']
    for f in fields:
        cmd += ['-e', f]
    out = subprocess.run(cmd, check=True, capture_output=True,
                         text=True).stdout
    streams = {}
    for line in out.splitlines():
        v = line.split('|')
        stream = int(v[0])
        src = (v[1] or v[2], int(v[3]))
        dst = (v[4] or v[5], int(v[6]))
        st = streams.setdefault(stream, {'ends': frozenset([src, dst]),
                                         'dirs': {}})
        d = st['dirs'].setdefault(src, dict.fromkeys(FLAGS, 0))
        for i, f in enumerate(FLAGS):
            if v[7 + i] not in ('', '0'):
                d[f] += 1
    return [streams[k] for k in sorted(streams)]


def main():
    tshark, capture, db = sys.argv[1:4]
    con = sqlite3.connect(db)
    mirrored = con.execute("SELECT COALESCE(SUM(count), 0) FROM tcp_analysis "
                           "WHERE flag = 'mirror_duplicate'").fetchone()[0]
    source = capture
    tmp = None
    if mirrored:
        tmp = tempfile.NamedTemporaryFile(suffix='.pcap', delete=False)
        tmp.close()
        subprocess.run(['editcap', '-D', '100', capture, tmp.name], check=True,
                       capture_output=True)
        source = tmp.name
    flows = con.execute(
        'SELECT id, client_ip, client_port, server_ip, server_port '
        'FROM flows WHERE proto = 6 ORDER BY first_ts, id').fetchall()
    pool = {}
    for f in flows:
        pool.setdefault(frozenset([(f[1], f[2]), (f[3], f[4])]), []).append(f)
    counts = {}
    for fid, direction, flag, count in con.execute(
            'SELECT flow_id, direction, flag, count FROM tcp_analysis'):
        counts[(fid, direction, flag)] = count

    problems = compared = 0
    for st in tshark_counts(tshark, source):
        cands = pool.get(st['ends'])
        if not cands:
            print('FAIL: tshark stream %s has no ringscope flow'
                  % sorted(st['ends']))
            problems += 1
            continue
        f = cands.pop(0)
        client = (f[1], f[2])
        for src, d in sorted(st['dirs'].items()):
            direction = 'c2s' if src == client else 's2c'
            ours = {fl: counts.get((f[0], direction, fl), 0) for fl in FLAGS}
            ours['retransmission'] += ours['fast_retransmission'] + \
                ours['spurious_retransmission']
            for fl in FLAGS:
                compared += 1
                if ours[fl] != d[fl]:
                    print('FAIL: flow %d %s %s: tshark %d, ringscope %d'
                          % (f[0], direction, fl, d[fl], ours[fl]))
                    problems += 1
    if tmp:
        os.unlink(tmp.name)
    print('%s: %d counts compared, %d differ%s' % (
        capture, compared, problems,
        ' (span duplicates removed for tshark)' if mirrored else ''))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
