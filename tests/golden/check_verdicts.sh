#!/usr/bin/env bash
# Each lab capture fails exactly the requirements it was made to fail
# (VERDICTS), every other requirement is PASS or NOT_OBSERVED, and the exit
# status says whether anything of error severity failed.
. "$(dirname "$0")/lib.sh"

[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"
list=$top_srcdir/tests/golden/VERDICTS

for pcap in "$top_srcdir"/pcaps/*.pcap; do
    name=$(basename "$pcap")
    line=$(awk -v n="$name" '$1 == n' "$list")
    if [ -z "$line" ]; then
        fail "$name: not listed in VERDICTS"
        continue
    fi
    want=$(printf '%s\n' "$line" | tr ' ' '\n' | sed 1d | sort | tr '\n' ' ')
    db=$test_tmp/${name%.pcap}.db
    rc=0
    "$RINGSCOPE" -q -r "$pcap" -w "$db" > /dev/null 2> "$test_tmp/err" || rc=$?
    if [ "$rc" -gt 1 ]; then
        fail "$name: exit status $rc: $(head -c 300 "$test_tmp/err")"
        continue
    fi
    got=$("$SQLITE3" "$db" "SELECT DISTINCT requirement FROM requirements
                            WHERE verdict = 'FAIL' ORDER BY 1" | tr '\n' ' ')
    if [ "$got" = "$want" ]; then
        pass "$name: fails ${want:-nothing}"
    else
        fail "$name: fails '${got}', expected '${want}'"
    fi
    other=$("$SQLITE3" "$db" "SELECT count(*) FROM requirements
                              WHERE verdict NOT IN ('PASS', 'FAIL',
                                                    'NOT_OBSERVED')")
    [ "$other" = 0 ] || fail "$name: $other verdicts of another kind"
    # Exit status 1 exactly when a requirement of error severity failed.
    errs=$("$SQLITE3" "$db" "SELECT count(*) FROM requirements
                             WHERE verdict = 'FAIL' AND severity = 'error'")
    want_rc=0
    [ "$errs" -gt 0 ] && want_rc=1
    [ "$rc" = "$want_rc" ] ||
        fail "$name: exit status $rc with $errs failing error requirements"
done
finish
