#!/usr/bin/env python3
"""Compare ringscope's flows with tshark's TCP and UDP conversations.

Usage: tshark_conv.py TSHARK CAPTURE DB

For every TCP and UDP conversation that `tshark -q -z conv,tcp -z conv,udp`
lists, the database must hold a flow with the same endpoints and the same
frame and byte counts in each direction, and no flow may be left over.
tshark prints byte counts above 9999 in rounded units (kB, MB); those are
compared at the precision tshark printed.  TCP conversations that reuse the
same ports (a new SYN after the old connection closed) appear as several
conversations with the same endpoints in both tools; they are matched in
order of their start.  tshark can also split one UDP flow into two
conversations, one per direction (RTP announced in SDP gets a conversation
of its own); UDP rows with the same endpoints are therefore added up.
"""
import re
import sqlite3
import subprocess
import sys

LINE = re.compile(
    r'^(?P<a>\S+):(?P<pa>\d+)\s+<->\s+(?P<b>\S+):(?P<pb>\d+)\s+'
    r'(?P<f_ba>\d+)\s+(?P<b_ba>[\d,.]+\s+\S+)\s+'
    r'(?P<f_ab>\d+)\s+(?P<b_ab>[\d,.]+\s+\S+)\s+'
    r'(?P<f_t>\d+)\s+(?P<b_t>[\d,.]+\s+\S+)\s+'
    r'(?P<start>[\d.]+)\s+(?P<dur>[\d.]+)\s*$')

UNITS = {'bytes': 1, 'kB': 1000, 'MB': 1000 ** 2, 'GB': 1000 ** 3}


def parse_size(text):
    """Return (value, unit multiplier) of a tshark size such as '12 kB'."""
    num, unit = text.split()
    return float(num.replace(',', '')), UNITS[unit]


def size_interval(text):
    """The open interval of byte counts tshark could have printed as text
    (it rounds to the printed unit), or an exact [v, v] for plain bytes."""
    value, mult = parse_size(text)
    if mult == 1:
        return (int(value), int(value), True)
    return ((value - 1) * mult, (value + 1) * mult, False)


def add_intervals(a, b):
    return (a[0] + b[0], a[1] + b[1], a[2] and b[2])


def interval_matches(iv, exact):
    if iv[2]:
        return iv[0] == exact
    return iv[0] < exact < iv[1]


def tshark_conversations(tshark, capture):
    out = subprocess.run(
        [tshark, '-n', '-r', capture, '-q', '-z', 'conv,tcp', '-z', 'conv,udp'],
        check=True, capture_output=True, text=True).stdout
    convs = []
    proto = None
    for line in out.splitlines():
        if line.startswith('TCP Conversations'):
            proto = 6
        elif line.startswith('UDP Conversations'):
            proto = 17
        m = LINE.match(line)
        if m and proto:
            convs.append((proto, m))
    return convs


def strip_brackets(addr):
    return addr[1:-1] if addr.startswith('[') else addr


def main():
    tshark, capture, db = sys.argv[1:4]
    con = sqlite3.connect(db)
    flows = con.execute(
        'SELECT proto, client_ip, client_port, server_ip, server_port, '
        'c2s_packets, s2c_packets, c2s_bytes, s2c_bytes, first_ts, id '
        'FROM flows WHERE proto IN (6, 17) ORDER BY first_ts, id').fetchall()
    pool = {}
    for f in flows:
        key = (f[0], frozenset([(f[1], f[2]), (f[3], f[4])]))
        pool.setdefault(key, []).append(f)

    entries = []
    udp_index = {}
    convs = tshark_conversations(tshark, capture)
    convs.sort(key=lambda c: float(c[1].group('start')))
    for proto, m in convs:
        a = (strip_brackets(m.group('a')), int(m.group('pa')))
        b = (strip_brackets(m.group('b')), int(m.group('pb')))
        e = {'proto': proto, 'a': a, 'b': b,
             'f_ab': int(m.group('f_ab')), 'f_ba': int(m.group('f_ba')),
             'b_ab': size_interval(m.group('b_ab')),
             'b_ba': size_interval(m.group('b_ba'))}
        key = (proto, frozenset([a, b]))
        if proto == 17 and key in udp_index:
            prev = udp_index[key]
            if prev['a'] == a:
                prev['f_ab'] += e['f_ab']
                prev['f_ba'] += e['f_ba']
                prev['b_ab'] = add_intervals(prev['b_ab'], e['b_ab'])
                prev['b_ba'] = add_intervals(prev['b_ba'], e['b_ba'])
            else:
                prev['f_ab'] += e['f_ba']
                prev['f_ba'] += e['f_ab']
                prev['b_ab'] = add_intervals(prev['b_ab'], e['b_ba'])
                prev['b_ba'] = add_intervals(prev['b_ba'], e['b_ab'])
            continue
        if proto == 17:
            udp_index[key] = e
        entries.append(e)

    problems = 0
    matched = 0
    for e in entries:
        proto, a, b = e['proto'], e['a'], e['b']
        key = (proto, frozenset([a, b]))
        candidates = pool.get(key)
        what = '%s %s:%d <-> %s:%d' % ('tcp' if proto == 6 else 'udp',
                                       a[0], a[1], b[0], b[1])
        if not candidates:
            print('FAIL: %s: tshark lists it, ringscope has no flow' % what)
            problems += 1
            continue
        f = candidates.pop(0)
        # Map tshark's A->B / B->A onto the flow's client/server directions.
        if (f[1], f[2]) == a:
            ab = (f[5], f[7])
            ba = (f[6], f[8])
        else:
            ab = (f[6], f[8])
            ba = (f[5], f[7])
        ok = (e['f_ab'] == ab[0] and e['f_ba'] == ba[0]
              and interval_matches(e['b_ab'], ab[1])
              and interval_matches(e['b_ba'], ba[1]))
        if ok:
            matched += 1
        else:
            print('FAIL: %s: tshark A->B %d frames %s bytes, B->A %d frames '
                  '%s bytes; ringscope flow %d A->B %d frames %d bytes, '
                  'B->A %d frames %d bytes' % (
                      what, e['f_ab'], e['b_ab'][:2], e['f_ba'],
                      e['b_ba'][:2], f[10], ab[0], ab[1], ba[0], ba[1]))
            problems += 1
    for key, rest in sorted(pool.items(), key=lambda kv: str(kv[0])):
        for f in rest:
            print('FAIL: ringscope flow %d (%s:%d -> %s:%d proto %d) is not '
                  'a tshark conversation' % (f[10], f[1], f[2], f[3], f[4],
                                             f[0]))
            problems += 1
    print('%s: %d conversations match tshark, %d problems'
          % (capture, matched, problems))
    return 1 if problems or matched == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
