#!/usr/bin/env bash
# Memcheck over a handful of golden runs: no invalid reads or writes, no
# use of uninitialised values, no definite leaks, on the captures that
# cover the most code (TCP faults, web signaling with TLS/DNS/HTTP, SIP
# through an ALG, RTP loss, span duplicates).  The sanitizer build covers
# the same ground differently; valgrind cannot run an ASan binary, so that
# build skips this test.
. "$(dirname "$0")/../golden/lib.sh"

command -v valgrind >/dev/null || skip "valgrind not installed"
[ -x "$RINGSCOPE" ] || skip "no ringscope program at '$RINGSCOPE'"
if nm "$RINGSCOPE" 2>/dev/null | grep -q __asan_init ||
   ldd "$RINGSCOPE" 2>/dev/null | grep -q libasan; then
    skip "ringscope is built with AddressSanitizer"
fi

captures="tcp-faults.pcap web-signaling.pcap sip-alg-wan.pcap
          rtp-loss-qos-lan.pcap span-duplicates.pcap"
for c in $captures; do
    f=$top_srcdir/pcaps/$c
    [ -f "$f" ] || { fail "$c: capture missing"; continue; }
    rc=0
    valgrind --quiet --error-exitcode=9 --leak-check=full \
        --errors-for-leak-kinds=definite --log-file="$test_tmp/$c.vg" \
        "$RINGSCOPE" -q --no-db -r "$f" >/dev/null 2>"$test_tmp/$c.err" || rc=$?
    if [ "$rc" -eq 9 ]; then
        fail "$c: valgrind errors"
        head -n 60 "$test_tmp/$c.vg"
    elif [ "$rc" -gt 2 ]; then
        fail "$c: exit status $rc: $(head -c 300 "$test_tmp/$c.err")"
    else
        pass "$c: clean under valgrind (exit $rc)"
    fi
done
finish
