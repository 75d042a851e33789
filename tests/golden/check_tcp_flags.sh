#!/usr/bin/env bash
# For every capture in pcaps/, ringscope's per-flow TCP analysis counts
# equal tshark's (retransmission, fast and spurious retransmission,
# out-of-order, duplicate ACK, keep-alive), direction by direction.
. "$(dirname "$0")/lib.sh"

[ -n "$TSHARK" ] && [ -x "$TSHARK" ] || skip "tshark not installed"
command -v python3 >/dev/null || skip "python3 not installed"
command -v editcap >/dev/null || skip "editcap not installed"
pcaps=$(list_pcaps)
[ -n "$pcaps" ] || skip "no captures in pcaps/"
for p in $pcaps; do
    db=$test_tmp/$(basename "$p").db
    rc=0
    "$RINGSCOPE" -q -r "$top_srcdir/$p" -w "$db" 2> "$test_tmp/err" || rc=$?
    if [ "$rc" -gt 1 ]; then
        fail "$p: ringscope failed: $(cat "$test_tmp/err")"
        continue
    fi
    if python3 "$top_srcdir/tests/golden/tcp_flags.py" "$TSHARK" \
            "$top_srcdir/$p" "$db"; then
        pass "$p"
    else
        fail "$p: TCP analysis counts differ from tshark's"
    fi
done
finish
