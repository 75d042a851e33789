#!/usr/bin/env bash
# Database safety: a ringscope killed with SIGKILL in the middle of a long
# capture leaves a consistent database (SQLite's WAL journal: committed
# batches survive, the open one is rolled back), with the capture row
# marked incomplete and the flows written so far.  A second writer on the
# same database waits for the busy timeout and then either gets its turn
# or fails with a clear message; it never corrupts the file.
. "$(dirname "$0")/../golden/lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"
[ -x "$RINGSCOPE" ] || skip "no ringscope program at '$RINGSCOPE'"

# 600,000 one-packet UDP flows; with a table of 1,000 flows, flows are
# evicted and written from the start, so batches are committed long before
# the end.
big=$test_tmp/big.pcap
python3 - "$top_srcdir/tests/hostile" "$big" <<'PY' || { fail "cannot write the capture"; finish; }
import sys
sys.path.insert(0, sys.argv[1])
import make_hostile
make_hostile.flow_flood(sys.argv[2], 600000)
PY

db=$test_tmp/kill.db
flows_now() {
    "$SQLITE3" "$db" "PRAGMA busy_timeout = 1000; SELECT count(*) FROM flows" 2>/dev/null | tail -n 1
}

# start_writer: starts a ringscope on the big capture in the background
# ($pid) and waits (at most 20 s) until it has committed some flows.
start_writer() {
    local before n
    before=$(flows_now)
    "$RINGSCOPE" -q -r "$big" --max-flows 1000 -w "$db" 2>"$test_tmp/err1" &
    pid=$!
    for _ in $(seq 200); do
        n=$(flows_now)
        [ "${n:-0}" -gt "${before:-0}" ] 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    return 1
}

# 1. SIGKILL in the middle of the run.
start_writer || fail "no flows committed after 20 s"
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null
    check=$("$SQLITE3" "$db" "PRAGMA integrity_check" 2>&1)
    [ "$check" = ok ] && pass "integrity_check ok after SIGKILL" ||
        fail "integrity_check after SIGKILL: $check"
    row=$("$SQLITE3" "$db" "SELECT complete FROM captures" 2>&1)
    [ "$row" = 0 ] && pass "killed capture's row is there, complete = 0" ||
        fail "killed capture's row: '$row'"
    n=$(flows_now)
    [ "${n:-0}" -gt 0 ] 2>/dev/null && pass "$n flows of the killed capture kept" ||
        fail "flows of the killed capture: '$n'"
else
    fail "ringscope ended before it could be killed: $(head -c 300 "$test_tmp/err1")"
fi

# 2. A second writer while the first one is writing: it waits for the
# busy timeout and then gets its turn between two batches or fails
# clearly; the first one must not notice.
start_writer || fail "second run: no flows committed after 20 s"
t0=$(date +%s)
rc2=0
timeout -s KILL 60 "$RINGSCOPE" -q -r "$top_srcdir/pcaps/web-signaling.pcap" \
    -w "$db" >/dev/null 2>"$test_tmp/err2" || rc2=$?
t1=$(date +%s)
if [ "$rc2" -eq 2 ] && grep -Eqi "locked|busy" "$test_tmp/err2"; then
    pass "second writer failed clearly after $((t1 - t0)) s: $(head -n 1 "$test_tmp/err2")"
elif [ "$rc2" -le 1 ]; then
    pass "second writer got its turn between batches (exit $rc2)"
else
    fail "second writer: exit $rc2: $(head -c 300 "$test_tmp/err2")"
fi
grep -Eq 'Sanitizer|runtime error' "$test_tmp/err2" && fail "second writer: sanitizer report"
sleep 1
if kill -0 "$pid" 2>/dev/null; then
    pass "first writer still running beside the second"
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null
else
    rc1=0
    wait "$pid" || rc1=$?
    [ "$rc1" -le 1 ] && pass "first writer finished (exit $rc1)" ||
        fail "first writer failed beside the second (exit $rc1): $(head -c 300 "$test_tmp/err1")"
fi
check=$("$SQLITE3" "$db" "PRAGMA integrity_check" 2>&1)
[ "$check" = ok ] && pass "integrity_check ok after two writers" ||
    fail "integrity_check after two writers: $check"

# A lock held by another program for longer than the busy timeout (5 s):
# ringscope waits, then fails with a clear message and exit status 2.
(printf 'BEGIN IMMEDIATE;\n'; sleep 8; printf 'COMMIT;\n') | "$SQLITE3" "$db" &
holder=$!
sleep 0.5
t0=$(date +%s)
rc3=0
timeout -s KILL 60 "$RINGSCOPE" -q -r "$top_srcdir/pcaps/web-signaling.pcap" \
    -w "$db" >/dev/null 2>"$test_tmp/err3" || rc3=$?
t1=$(date +%s)
wait "$holder"
if [ "$rc3" -eq 2 ] && grep -Eqi "locked|busy" "$test_tmp/err3" &&
   [ $((t1 - t0)) -ge 4 ]; then
    pass "locked database: waited $((t1 - t0)) s, then: $(head -n 1 "$test_tmp/err3")"
else
    fail "locked database: exit $rc3 after $((t1 - t0)) s: $(head -c 300 "$test_tmp/err3")"
fi
check=$("$SQLITE3" "$db" "PRAGMA integrity_check" 2>&1)
[ "$check" = ok ] && pass "integrity_check ok at the end" ||
    fail "integrity_check at the end: $check"
# The database is still usable: a new capture goes in after all this.
rc4=0
"$RINGSCOPE" -q -r "$top_srcdir/pcaps/web-signaling.pcap" -w "$db" \
    >/dev/null 2>"$test_tmp/err4" || rc4=$?
[ "$rc4" -le 1 ] && pass "database usable afterwards" ||
    fail "new capture into the database: exit $rc4: $(head -c 300 "$test_tmp/err4")"
finish
