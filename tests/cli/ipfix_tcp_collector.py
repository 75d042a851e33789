#!/usr/bin/env python3
"""A minimal IPFIX-over-TCP collector for the export test: accepts one
connection on loopback, reads until the exporter closes it, and checks
the framing of RFC 7011 section 3: every message has version 10 and a
length that fits, every set a length that fits its message, and a
template set (id 2) comes before the first data set.

Usage: ipfix_tcp_collector.py PORTFILE RESULTFILE
Writes the chosen port to PORTFILE, then "MESSAGES SETS DATASETS
VERDICT" to RESULTFILE (VERDICT is "ok" or what was wrong)."""
import socket
import struct
import sys


def check(data):
    msgs = sets = data_sets = 0
    seen_template = False
    off = 0
    while off < len(data):
        if len(data) - off < 16:
            return msgs, sets, data_sets, "truncated-header"
        version, length = struct.unpack_from("!HH", data, off)
        if version != 10 or length < 16 or off + length > len(data):
            return msgs, sets, data_sets, "bad-message-at-%d" % off
        pos = off + 16
        while pos < off + length:
            if off + length - pos < 4:
                return msgs, sets, data_sets, "truncated-set"
            sid, slen = struct.unpack_from("!HH", data, pos)
            if slen < 4 or pos + slen > off + length:
                return msgs, sets, data_sets, "bad-set-length"
            if sid == 2:
                seen_template = True
            elif sid >= 256:
                if not seen_template:
                    return msgs, sets, data_sets, "data-before-templates"
                data_sets += 1
            sets += 1
            pos += slen
        msgs += 1
        off += length
    return msgs, sets, data_sets, "ok"


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(60)
    with open(sys.argv[1], "w") as f:
        f.write(str(srv.getsockname()[1]))
    conn, _ = srv.accept()
    conn.settimeout(60)
    data = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    with open(sys.argv[2], "w") as f:
        f.write("%d %d %d %s\n" % check(data))


if __name__ == "__main__":
    main()
