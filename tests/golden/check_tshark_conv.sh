#!/usr/bin/env bash
# For every capture in pcaps/, the flows in the database equal tshark's TCP
# and UDP conversations: same endpoints, same frames and bytes each way.
. "$(dirname "$0")/lib.sh"

[ -n "$TSHARK" ] && [ -x "$TSHARK" ] || skip "tshark not installed"
command -v python3 >/dev/null || skip "python3 not installed"
pcaps=$(list_pcaps)
[ -n "$pcaps" ] || skip "no captures in pcaps/"
for p in $pcaps; do
    db=$test_tmp/$(basename "$p").db
    rc=0
    "$RINGSCOPE" -q -r "$top_srcdir/$p" -w "$db" 2> "$test_tmp/err" || rc=$?
    # Exit status 1 (a requirement failed) still wrote the flows.
    if [ "$rc" -gt 1 ]; then
        fail "$p: ringscope failed: $(cat "$test_tmp/err")"
        continue
    fi
    if python3 "$top_srcdir/tests/golden/tshark_conv.py" "$TSHARK" \
            "$top_srcdir/$p" "$db"; then
        pass "$p"
    else
        fail "$p: flows differ from tshark's conversations"
    fi
done
finish
