#!/usr/bin/env bash
# Hostile and broken captures: ringscope must never hang, crash or trip a
# sanitizer on them, must exit 0, 1 or 2, and must name the problem for
# the ones it cannot read.  The captures are written at test time by
# make_hostile.py (deterministic) and, for the snaplen case, by editcap.
#
# Memory stays bounded on a flood of 300,000 one-packet UDP flows with
# --max-flows 10000: peak RSS must stay under RSS_CAP_KB (150 MiB; the
# table itself needs a few MiB, a full table of 300,000 flows needs about
# 900 MiB), or under RSS_CAP_ASAN_KB (300 MiB) in a sanitizer build, whose
# shadow memory and quarantine come on top.  Every flow beyond the cap is
# counted in captures.flows_evicted.
. "$(dirname "$0")/../golden/lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
[ -x "$RINGSCOPE" ] || skip "no ringscope program at '$RINGSCOPE'"

RSS_CAP_KB=$((150 * 1024))
RSS_CAP_ASAN_KB=$((300 * 1024))
FLOOD_FLOWS=300000
MAX_FLOWS=10000
# Seconds one run may take before it counts as a hang.
RUN_TIMEOUT=60

h=$test_tmp/h
mkdir -p "$h"
python3 "$top_srcdir/tests/hostile/make_hostile.py" "$h" "$FLOOD_FLOWS" ||
    { fail "make_hostile.py failed"; finish; }
lab=$top_srcdir/pcaps/web-signaling.pcap
if command -v editcap >/dev/null && [ -f "$lab" ]; then
    editcap -s 64 "$lab" "$h/snaplen-64.pcap"
fi

asan=no
if nm "$RINGSCOPE" 2>/dev/null | grep -q __asan_init ||
   ldd "$RINGSCOPE" 2>/dev/null | grep -q libasan; then
    asan=yes
fi

# run NAME WANT_STATUSES PATTERN ARGS...: runs ringscope under a timeout;
# the exit status must be one of WANT_STATUSES (a regex such as '0|1'),
# stderr must match PATTERN (extended regex; '' for anything) and carry no
# sanitizer report.  Sets $rc.
run() {
    local name=$1 want=$2 pattern=$3
    shift 3
    rc=0
    timeout -s KILL "$RUN_TIMEOUT" "$RINGSCOPE" -q "$@" \
        >"$test_tmp/out" 2>"$test_tmp/err" || rc=$?
    if [ "$rc" -eq 137 ]; then
        fail "$name: no result within $RUN_TIMEOUT s (hang)"
    elif [ "$rc" -gt 128 ]; then
        fail "$name: killed by signal $((rc - 128))"
    elif ! [[ "$rc" =~ ^($want)$ ]]; then
        fail "$name: exit status $rc, expected $want ($(head -c 300 "$test_tmp/err"))"
    elif grep -Eq 'Sanitizer|runtime error|LeakSanitizer' "$test_tmp/err"; then
        fail "$name: sanitizer report"
        head -n 30 "$test_tmp/err"
    elif [ -n "$pattern" ] && ! grep -Eq "$pattern" "$test_tmp/err"; then
        fail "$name: stderr does not match /$pattern/: $(head -c 300 "$test_tmp/err")"
    else
        pass "$name (exit $rc)"
    fi
}

if [ -f "$h/snaplen-64.pcap" ]; then
    run "snaplen 64" '0|1' '' -r "$h/snaplen-64.pcap" -w "$h/snap.db"
else
    printf 'note: editcap not installed, snaplen case not run\n'
fi
run "wrong magic" 2 "cannot read '.*wrong-magic.pcap': unknown file format" \
    -r "$h/wrong-magic.pcap" -w "$h/magic.db"
run "huge packet length" 2 \
    "huge-length.pcap.*invalid packet capture length.*analysed the 1 packets before it" \
    -r "$h/huge-length.pcap" -w "$h/huge.db"
run "wire length below captured length" '0|1' '' \
    -r "$h/wire-shorter.pcap" -w "$h/wire.db"
run "pcapng with unknown block types" '0|1' '' \
    -r "$h/unknown-blocks.pcapng" -w "$h/unknown.db"
# libpcap refuses a pcapng file whose interfaces differ in link type.
run "pcapng with two link types" 2 \
    "two-links.pcapng.*different from the type of the first interface" \
    -r "$h/two-links.pcapng" -w "$h/links.db"
run "fragment flood" '0|1' '' -r "$h/frag-flood.pcap" -w "$h/fflood.db"
run "overlapping fragments" '0|1' '' -r "$h/frag-overlap.pcap" -w "$h/overlap.db"
run "SIP message with 10000 headers" '0|1' '' \
    -r "$h/sip-10000-headers.pcap" -w "$h/sip.db"
run "DNS compression loops" '0|1' '' -r "$h/dns-loops.pcap" -w "$h/dns.db"
run "RTP with thousands of SSRCs" '0|1' '' -r "$h/rtp-ssrcs.pcap" -w "$h/rtp.db"

# The unknown blocks are skipped and every packet around them is read.
if [ -n "$SQLITE3" ] && [ -f "$h/unknown.db" ]; then
    n=$("$SQLITE3" "$h/unknown.db" "SELECT packets FROM captures")
    [ "$n" = 10 ] && pass "unknown blocks skipped, 10 packets read" ||
        fail "unknown blocks: packets '$n', expected 10"
fi

# The flow-table flood, with its peak resident set size.
cap=$RSS_CAP_KB
if [ "$asan" = yes ]; then
    cap=$RSS_CAP_ASAN_KB
    # A small quarantine: freed flows are not kept around for long.
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"
fi
if [ -x /usr/bin/time ]; then
    rc=0
    timeout -s KILL "$RUN_TIMEOUT" /usr/bin/time -f 'maxrss %M' -o "$h/time" \
        "$RINGSCOPE" -q -r "$h/flow-flood.pcap" --max-flows "$MAX_FLOWS" \
        -w "$h/flood.db" >/dev/null 2>"$test_tmp/err" || rc=$?
    rss=$(sed -n 's/^maxrss //p' "$h/time")
    if [ "$rc" -gt 2 ]; then
        fail "flow flood: exit status $rc ($(head -c 300 "$test_tmp/err"))"
    elif grep -Eq 'Sanitizer|runtime error' "$test_tmp/err"; then
        fail "flow flood: sanitizer report"
    elif [ -z "$rss" ] || [ "$rss" -ge "$cap" ]; then
        fail "flow flood: peak RSS '${rss}' KiB, cap $cap KiB"
    else
        pass "flow flood: $FLOOD_FLOWS flows in a $MAX_FLOWS-flow table, peak RSS $rss KiB (cap $cap KiB)"
    fi
    if [ -n "$SQLITE3" ]; then
        row=$("$SQLITE3" "$h/flood.db" "SELECT flows, flows_evicted, complete FROM captures")
        want="$FLOOD_FLOWS|$((FLOOD_FLOWS - MAX_FLOWS))|1"
        [ "$row" = "$want" ] && pass "flow flood: flows|evicted|complete = $row" ||
            fail "flow flood: flows|evicted|complete = '$row', expected '$want'"
    fi
else
    printf 'note: /usr/bin/time not installed, flow flood not run\n'
fi
finish
