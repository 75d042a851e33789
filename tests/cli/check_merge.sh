#!/usr/bin/env bash
# ringscope merge: databases analysed separately (--sensor a, --sensor b)
# merge into the database one run over the same captures writes, table
# by table, once ids are replaced by places (tests/cli/merge_dump.py);
# captures keep their sensor; and a schema version mismatch, a capture
# merged twice, a flow reference the merge cannot map, a locked or
# read-only output, and bad arguments are refused with OUT unchanged.
. "$(dirname "$0")/../golden/lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
[ -n "$SQLITE3" ] || skip "sqlite3 not installed"
[ -x "$RINGSCOPE" ] || skip "no ringscope binary at $RINGSCOPE"
dump=$top_srcdir/tests/cli/merge_dump.py
A=$top_srcdir/pcaps/sip-alg-lan.pcap
B1=$top_srcdir/pcaps/tcp-faults.pcap
B2=$top_srcdir/pcaps/web-signaling.pcap
for f in "$A" "$B1" "$B2"; do
    [ -f "$f" ] || skip "$f missing"
done
cd "$test_tmp" || exit 1

"$RINGSCOPE" -q --sensor a -r "$A" -w a.db
"$RINGSCOPE" -q --sensor b -r "$B1" -r "$B2" -w b.db
"$RINGSCOPE" -q -r "$A" -r "$B1" -r "$B2" -w one.db
for db in a.db b.db one.db; do
    [ -s "$db" ] || fail "$db not written"
done

# --- the merge equals one run ------------------------------------------
out=$("$RINGSCOPE" merge merged.db a.db b.db 2>&1)
rc=$?
[ $rc -eq 0 ] && pass "merge into a new database: $out" \
    || fail "merge: exit $rc: $out"
ignore="--ignore captures.sensor --ignore captures.command_line"
# shellcheck disable=SC2086
python3 "$dump" $ignore merged.db > merged.txt
# shellcheck disable=SC2086
python3 "$dump" $ignore one.db > one.txt
if diff -u one.txt merged.txt > dump.diff; then
    pass "merged database equals one run: $(grep -c '^\[' one.txt) rows in $(grep -c '^==' one.txt) tables"
else
    fail "merged database differs from one run:"
    head -30 dump.diff
fi
for t in flows findings requirements; do
    n=$(grep "^== $t " one.txt | grep -oE '[0-9]+ rows')
    [ "${n%% rows}" -gt 0 ] && pass "$t compared ($n)" \
        || fail "no $t rows to compare"
done
sensors=$("$SQLITE3" merged.db "SELECT group_concat(sensor, ',') FROM
    (SELECT sensor FROM captures ORDER BY id)")
[ "$sensors" = "a,b,b" ] && pass "captures keep their sensors ($sensors)" \
    || fail "sensors after merge: $sensors"
# Flow ids follow their new capture ids, and findings follow their flows.
bad=$("$SQLITE3" merged.db "SELECT count(*) FROM flows
    WHERE id / 10000000000 <> capture_id")
[ "$bad" -eq 0 ] && pass "flow ids carry their new capture id" \
    || fail "$bad flows with a flow id of another capture"
bad=$("$SQLITE3" merged.db "SELECT count(*) FROM findings
    WHERE flow_id IS NOT NULL AND flow_id NOT IN (SELECT id FROM flows
    WHERE flows.capture_id = findings.capture_id)")
[ "$bad" -eq 0 ] && pass "every finding points at a flow of its capture" \
    || fail "$bad findings point at a missing flow"

# --- into an existing database, and refusing a capture twice ------------
cp one.db twice.db
before=$("$SQLITE3" twice.db "SELECT count(*) FROM flows")
err=$("$RINGSCOPE" merge twice.db a.db 2>&1)
rc=$?
after=$("$SQLITE3" twice.db "SELECT count(*) FROM flows")
[ $rc -eq 0 ] && [ "$after" -gt "$before" ] \
    && pass "merge into an existing database" \
    || fail "merge into an existing database: exit $rc: $err"
err=$("$RINGSCOPE" merge twice.db a.db 2>&1)
rc=$?
again=$("$SQLITE3" twice.db "SELECT count(*) FROM flows")
if [ $rc -eq 2 ] && echo "$err" | grep -q "already in" &&
   [ "$again" -eq "$after" ]; then
    pass "the same capture twice is refused: $err"
else
    fail "merging a capture twice: exit $rc, $again flows: $err"
fi

# --- schema versions ------------------------------------------------------
cp b.db v2.db
"$SQLITE3" v2.db "PRAGMA user_version = 2"
cp a.db target.db
sum=$(cksum < target.db)
err=$("$RINGSCOPE" merge target.db v2.db 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$err" | grep -q "schema version 2" &&
   [ "$(cksum < target.db)" = "$sum" ]; then
    pass "schema version mismatch refused: $err"
else
    fail "schema version mismatch: exit $rc: $err"
fi

# --- tables the merge learns from the schema ----------------------------
# A table added later with capture_id and flow_id merges; one with a
# flow reference under another name is refused, not copied unchanged.
cp a.db ext_out.db
cp b.db ext_in.db
for db in ext_out.db ext_in.db; do
    "$SQLITE3" "$db" "CREATE TABLE extra (capture_id INTEGER NOT NULL
        REFERENCES captures(id), flow_id INTEGER, note TEXT)"
done
"$SQLITE3" ext_in.db "INSERT INTO extra SELECT capture_id, id, 'x'
    FROM flows ORDER BY id LIMIT 1"
err=$("$RINGSCOPE" merge ext_out.db ext_in.db 2>&1)
rc=$?
bad=$("$SQLITE3" ext_out.db "SELECT count(*) FROM extra
    JOIN flows ON flows.id = extra.flow_id
    WHERE flows.capture_id = extra.capture_id
    AND extra.capture_id > (SELECT min(id) FROM captures)")
[ $rc -eq 0 ] && [ "$bad" -eq 1 ] \
    && pass "a table added later merges with its flow references mapped" \
    || fail "table added later: exit $rc, $bad mapped rows: $err"
cp a.db ref_out.db
cp b.db ref_in.db
for db in ref_out.db ref_in.db; do
    "$SQLITE3" "$db" "CREATE TABLE odd (capture_id INTEGER,
        peer_flow_id INTEGER)"
done
"$SQLITE3" ref_in.db "INSERT INTO odd VALUES (1, 10000000003)"
sum=$(cksum < ref_out.db)
err=$("$RINGSCOPE" merge ref_out.db ref_in.db 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$err" | grep -q "odd.peer_flow_id" &&
   [ "$(cksum < ref_out.db)" = "$sum" ]; then
    pass "an unmappable flow reference is refused: $err"
else
    fail "unmappable flow reference: exit $rc: $err"
fi

# --- output that cannot be written -------------------------------------
cp a.db locked.db
python3 - locked.db <<'EOF' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[1] + ".held", "w").close()
time.sleep(6)
EOF
holder=$!
for _ in $(seq 50); do
    [ -e locked.db.held ] && break
    sleep 0.1
done
err=$("$RINGSCOPE" merge locked.db b.db 2>&1)
rc=$?
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
if [ $rc -eq 2 ] && echo "$err" | grep -q "locked"; then
    pass "locked output refused: $err"
else
    fail "locked output: exit $rc: $err"
fi
if [ "$(id -u)" -ne 0 ]; then
    cp a.db ro.db
    chmod 444 ro.db
    err=$("$RINGSCOPE" merge ro.db b.db 2>&1)
    rc=$?
    [ $rc -eq 2 ] && echo "$err" | grep -q "read-only" \
        && pass "read-only output refused: $err" \
        || fail "read-only output: exit $rc: $err"
else
    echo "note: running as root, the read-only output check needs a user"
fi

# --- arguments ------------------------------------------------------------
"$RINGSCOPE" merge only.db > /dev/null 2>&1
[ $? -eq 2 ] && pass "merge without inputs: exit 2" \
    || fail "merge without inputs"
err=$("$RINGSCOPE" merge a.db a.db 2>&1)
[ $? -eq 2 ] && echo "$err" | grep -q "both the output and an input" \
    && pass "output as input refused" || fail "output as input: $err"
err=$("$RINGSCOPE" merge new.db missing.db 2>&1)
[ $? -eq 2 ] && echo "$err" | grep -q "missing.db" && [ ! -e new.db ] \
    && pass "missing input refused, nothing created" \
    || fail "missing input: $err"
echo "not a database" > junk.db
err=$("$RINGSCOPE" merge new2.db junk.db 2>&1)
[ $? -eq 2 ] && pass "an input that is not a database: $err" \
    || fail "junk input accepted"
finish
