#!/usr/bin/env bash
# Soak: an endless capture (lab captures in a loop, timestamps moving
# forward and addresses changing every loop, see soak_feed.py) is streamed
# through a FIFO into `ringscope -r -` for SOAK_SECONDS (45) of wall time.
# Flows expire by packet time (--udp-timeout, --tcp-timeout) and are
# written while the run goes on; ringscope's resident memory, sampled every
# second, must stay flat after the warm-up; at the end of the stream every
# flow of every loop is in the database.  A second, endless stream is then
# stopped with SIGINT: a clean exit with everything read so far written.
#
# Environment: SOAK_SECONDS (45), SOAK_RSS_SLACK_KB (the allowed growth
# before the relative limit applies; 4096, or 16384 under ASan).
. "$(dirname "$0")/../golden/lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"
[ -x "$RINGSCOPE" ] || skip "no ringscope program at '$RINGSCOPE'"
[ -r /proc/self/status ] || skip "no /proc to read memory use from"

seconds=${SOAK_SECONDS:-45}
feed=$top_srcdir/tests/cli/soak_feed.py
captures=()
for c in web-signaling sip-plain-nat-lan webrtc-media tcp-faults; do
    captures+=("$top_srcdir/pcaps/$c.pcap")
done
# Timeouts well under the feed's 90 s gap between captures (which also
# exceeds the fixed 15 s closed-TCP and 60 s other-protocol timeouts), so
# each capture's flows have all expired before the next one starts.
opts=(-q --udp-timeout 20 --tcp-timeout 30)

# Memory limits.  ASan keeps freed blocks in a quarantine (256 MiB by
# default) that fills for a long time and would look like growth; a small
# quarantine reaches its steady state within the warm-up.  Shadow memory
# and redzones make ASan's footprint larger and lumpier, hence more slack.
slack_kb=${SOAK_RSS_SLACK_KB:-4096}
pct=10
if [ -n "${top_builddir:-}" ] &&
   grep -q '^#define HAVE_SANITIZERS 1' "$top_builddir/config.h" 2>/dev/null; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"
    slack_kb=${SOAK_RSS_SLACK_KB:-16384}
    pct=15
fi

# q DB SQL: one value; empty while the database or its tables are not
# there yet.  The database is read while ringscope writes it (WAL).
q() {
    "$SQLITE3" -cmd ".timeout 2000" "$1" "$2" 2>/dev/null | tail -n 1
}

# --- the expected flows of one loop, and that loops are independent ----
python3 "$feed" --loops 1 "${captures[@]}" > "$test_tmp/one.pcap" ||
    { fail "soak_feed.py cannot write one loop"; finish; }
python3 "$feed" --loops 3 "${captures[@]}" > "$test_tmp/three.pcap" ||
    { fail "soak_feed.py cannot write three loops"; finish; }
ref_rc=0
"$RINGSCOPE" "${opts[@]}" -r "$test_tmp/one.pcap" -w "$test_tmp/one.db" ||
    ref_rc=$?
"$RINGSCOPE" "${opts[@]}" -r "$test_tmp/three.pcap" -w "$test_tmp/three.db" ||
    true
per_loop=$(q "$test_tmp/one.db" "SELECT count(*) FROM flows")
three=$(q "$test_tmp/three.db" "SELECT count(*) FROM flows")
[ "${per_loop:-0}" -gt 10 ] 2>/dev/null ||
    { fail "one loop gave '$per_loop' flows"; finish; }
[ "$three" = $((3 * per_loop)) ] &&
    pass "every loop makes $per_loop new flows (3 loops: $three)" ||
    fail "3 loops gave $three flows, not 3 x $per_loop"

# --- the soak ---------------------------------------------------------
fifo=$test_tmp/feed
mkfifo "$fifo"
db=$test_tmp/soak.db
"$RINGSCOPE" "${opts[@]}" -r - -w "$db" < "$fifo" 2> "$test_tmp/err" &
pid=$!
python3 "$feed" --seconds "$seconds" --count-file "$test_tmp/count" \
    "${captures[@]}" > "$fifo" &
feed_pid=$!

rss=()          # VmRSS each second, kB
hwm=            # its peak (VmHWM), kB
written=()      # flows in the database every 5 s
t=0
while kill -0 "$pid" 2>/dev/null; do
    r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ -n "$r" ] && rss+=("$r")
    h=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ -n "$h" ] && hwm=$h
    if [ $((t % 5)) -eq 4 ]; then
        n=$(q "$db" "SELECT count(*) FROM flows")
        [ -n "$n" ] && written+=("$n")
    fi
    t=$((t + 1))
    # A stream that never ends is a failure, not a hang.
    if [ "$t" -gt $((seconds + 120)) ]; then
        fail "ringscope still running ${t}s after a ${seconds}s feed"
        kill -KILL "$pid" "$feed_pid" 2>/dev/null
        break
    fi
    sleep 1
done
rc=0
wait "$pid" || rc=$?
feed_rc=0
wait "$feed_pid" || feed_rc=$?
[ "$feed_rc" = 0 ] || fail "soak_feed.py exited with $feed_rc"

read -r loops packets < "$test_tmp/count" || loops=0
[ "${loops:-0}" -ge 2 ] &&
    pass "fed $loops loops, $packets packets in ${seconds}s" ||
    fail "the feed managed only '$loops' loops in ${seconds}s"
[ "$rc" = "$ref_rc" ] && pass "exit status $rc at the end of the stream" ||
    fail "exit status $rc at the end of the stream, $ref_rc for one loop ($(head -c 500 "$test_tmp/err"))"
row=$(q "$db" "SELECT source, packets, interrupted, complete, coalesce(read_error, '') FROM captures")
[ "$row" = "-|$packets|0|1|" ] && pass "capture row: $row" ||
    fail "capture row '$row', expected '-|$packets|0|1|'"
flows=$(q "$db" "SELECT count(*) FROM flows")
[ "$flows" = $((loops * per_loop)) ] &&
    pass "all $flows flows written ($loops x $per_loop)" ||
    fail "$flows flows written, expected $loops x $per_loop"
live_max=$(q "$db" "SELECT flows_evicted FROM captures")
[ "$live_max" = 0 ] && pass "no flow evicted for lack of room" ||
    fail "flows_evicted = '$live_max'"

# Flows were written while the stream went on, not only at its end: at
# least two samples (the first ones may come before ringscope started)
# found flows, and more in the last than in the first of them.
seen=()
for n in "${written[@]}"; do
    [ "$n" -gt 0 ] 2>/dev/null && seen+=("$n")
done
nw=${#seen[@]}
if [ "$nw" -ge 2 ] && [ "${seen[nw - 1]}" -gt "${seen[0]}" ]; then
    pass "flows written during the run: ${written[*]}"
else
    fail "flows in the database during the run: '${written[*]}'"
fi

# Flat memory: after a warm-up (the first fifth), the highest RSS of the
# last third may exceed that of the first third by pct % or slack_kb,
# whichever is larger.
ns=${#rss[@]}
if [ "$ns" -lt 9 ]; then
    fail "only $ns memory samples"
else
    warm=$((ns / 5 > 2 ? ns / 5 : 2))
    body=("${rss[@]:warm}")
    nb=${#body[@]}
    third=$((nb / 3))
    first_max=$(printf '%s\n' "${body[@]:0:third}" | sort -n | tail -n 1)
    last_max=$(printf '%s\n' "${body[@]:nb-third}" | sort -n | tail -n 1)
    allowed=$((first_max * pct / 100))
    [ "$allowed" -lt "$slack_kb" ] && allowed=$slack_kb
    summary="RSS kB first third max $first_max, last third max $last_max, VmHWM $hwm, $ns samples"
    if [ $((last_max - first_max)) -le "$allowed" ]; then
        pass "memory flat: $summary"
    else
        fail "memory grew by $((last_max - first_max)) kB > $allowed kB: $summary; samples: ${rss[*]}"
    fi
fi

# --- SIGINT on an endless stream ---------------------------------------
fifo2=$test_tmp/feed2
mkfifo "$fifo2"
db2=$test_tmp/int.db
"$RINGSCOPE" "${opts[@]}" -r - -w "$db2" < "$fifo2" 2> "$test_tmp/err2" &
pid=$!
python3 "$feed" --count-file "$test_tmp/count2" "${captures[@]}" > "$fifo2" &
feed_pid=$!
for _ in $(seq 100); do
    n=$(q "$db2" "SELECT count(*) FROM flows")
    [ "${n:-0}" -gt "$per_loop" ] 2>/dev/null && break
    sleep 0.2
done
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
# The feed ends on the closed pipe; give it a moment, then stop it.
for _ in $(seq 50); do
    kill -0 "$feed_pid" 2>/dev/null || break
    sleep 0.1
done
kill "$feed_pid" 2>/dev/null && fail "the feed did not stop on the closed pipe"
wait "$feed_pid" 2>/dev/null
case $rc in
0 | 1) pass "exit status $rc after SIGINT" ;;
*) fail "exit status $rc after SIGINT ($(head -c 500 "$test_tmp/err2"))" ;;
esac
row=$(q "$db2" "SELECT source, interrupted, complete, coalesce(read_error, ''), flows = (SELECT count(*) FROM flows) FROM captures")
[ "$row" = "-|1|1||1" ] &&
    pass "after SIGINT: capture complete, interrupted, every flow written" ||
    fail "capture row after SIGINT: '$row' (source|interrupted|complete|read_error|flows written)"
check=$("$SQLITE3" "$db2" "PRAGMA integrity_check" 2>&1)
[ "$check" = ok ] && pass "integrity_check ok after SIGINT" ||
    fail "integrity_check after SIGINT: $check"
n=$(q "$db2" "SELECT count(*) FROM flows")
[ "${n:-0}" -gt "$per_loop" ] 2>/dev/null &&
    pass "$n flows written before SIGINT" || fail "only '$n' flows after SIGINT"
finish
