#!/usr/bin/env bash
# --workers N gives exactly the output of the single-threaded run: the
# printed report, the exit status, the JSON report and the whole database,
# row ids included (the threaded pipeline hands the sinks the same rows in
# the same order, so even AUTOINCREMENT ids agree).  Runs every capture of
# pcaps/, the whole directory as one run (several captures in one
# database), and a generated office capture with -c and --max-flows too.
. "$(dirname "$0")/../golden/lib.sh"

[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"
: "${top_builddir:=$top_srcdir/build}"
mkcapture=$top_builddir/bench/mkcapture
[ -x "$mkcapture" ] || skip "bench/mkcapture is not built"

bench=$test_tmp/office.pcap
"$mkcapture" -n 50000 -c 60 -s 7 -o "$bench" || fail "mkcapture failed"

# run NAME WORKERS ARGS...: output in $test_tmp/NAME.wWORKERS.{out,dump,golden}
run() {
    local name=$1 workers=$2 db rc=0
    shift 2
    db=$test_tmp/$name.w$workers.db
    "$RINGSCOPE" --workers "$workers" -w "$db" --json "$db.json" "$@" \
        > "$test_tmp/$name.w$workers.out" 2> "$test_tmp/$name.w$workers.err" ||
        rc=$?
    if [ "$rc" -gt 1 ]; then
        fail "$name --workers $workers: exit status $rc:" \
             "$(head -c 400 "$test_tmp/$name.w$workers.err")"
        return 1
    fi
    printf 'exit %d\n' "$rc" >> "$test_tmp/$name.w$workers.out"
    cat "$db.json" >> "$test_tmp/$name.w$workers.out"
    "$SQLITE3" -init /dev/null "$db" < "$top_srcdir/tests/golden/dump.sql" \
        > "$test_tmp/$name.w$workers.golden" 2>&1
    # Everything but the command line, which names --workers.
    "$SQLITE3" -init /dev/null "$db" \
        "UPDATE captures SET command_line = NULL;" .dump \
        > "$test_tmp/$name.w$workers.dump" 2>&1
}

# same "WORKERS..." NAME ARGS...: --workers 1 against each of WORKERS.
same() {
    local list=$1 name=$2 w kind
    shift 2
    run "$name" 1 "$@" || return
    [ -s "$test_tmp/$name.w1.dump" ] || { fail "$name: empty dump"; return; }
    for w in $list; do
        run "$name" "$w" "$@" || continue
        for kind in out golden dump; do
            if cmp -s "$test_tmp/$name.w1.$kind" "$test_tmp/$name.w$w.$kind"; then
                pass "$name --workers $w: $kind"
            else
                fail "$name --workers $w: $kind differs:"
                diff -u "$test_tmp/$name.w1.$kind" "$test_tmp/$name.w$w.$kind" |
                    cut -c1-200 | head -n 40
            fi
        done
    done
}

# Every capture of pcaps/ in one run: each is its own capture in the
# database, so the threads also meet at every capture boundary.
ls "$top_srcdir"/pcaps/*.pcap > /dev/null 2>&1 || fail "no captures in pcaps/"
same "2 3" pcaps -r "$top_srcdir/pcaps"
# -c ends the run inside the third capture: the readers must read no
# further than the analysis, or the decode counters would differ.
same 2 pcaps-count -c 1200 -r "$top_srcdir/pcaps"
same "2 3" office -r "$bench"
same 2 office-count -c 12345 -r "$bench"
same 2 office-evict --max-flows 50 -r "$bench"
same 2 office-timeouts --udp-timeout 5 --tcp-timeout 5 -r "$bench"

# Bad values are usage errors.
for bad in 0 65 x ""; do
    rc=0
    "$RINGSCOPE" --workers "$bad" -r "$bench" --no-db > /dev/null 2>&1 || rc=$?
    [ "$rc" -eq 2 ] && pass "--workers '$bad' refused" ||
        fail "--workers '$bad': exit status $rc, expected 2"
done
finish
