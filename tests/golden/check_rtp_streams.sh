#!/usr/bin/env bash
# For every capture in pcaps/, the RTP streams in the database equal
# tshark's (tshark -q -z rtp,streams): the same streams, packets, lost
# (within one) and max delta and jitter.  How tshark is made to see RTP
# without SDP is explained in tshark_rtp.py.
. "$(dirname "$0")/lib.sh"

[ -n "$TSHARK" ] && [ -x "$TSHARK" ] || skip "tshark not installed"
command -v python3 >/dev/null || skip "python3 not installed"
pcaps=$(list_pcaps)
[ -n "$pcaps" ] || skip "no captures in pcaps/"
for p in $pcaps; do
    db=$test_tmp/$(basename "$p").db
    rc=0
    "$RINGSCOPE" -q -r "$top_srcdir/$p" -w "$db" 2> "$test_tmp/err" || rc=$?
    # Exit status 1 (a requirement failed) still wrote the streams.
    if [ "$rc" -gt 1 ]; then
        fail "$p: ringscope failed: $(cat "$test_tmp/err")"
        continue
    fi
    if python3 "$top_srcdir/tests/golden/tshark_rtp.py" "$TSHARK" \
            "$top_srcdir/$p" "$db" > "$test_tmp/out" 2>&1; then
        pass "$p ($(tail -n 1 "$test_tmp/out" | sed 's/^ *//'))"
    else
        fail "$p: RTP streams differ from tshark's"
        cat "$test_tmp/out"
    fi
done
finish
