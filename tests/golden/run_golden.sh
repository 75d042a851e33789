#!/usr/bin/env bash
# Runs every test of TESTLIST and compares the printed output and the
# database dump with the reviewed expected files.
#   run_golden.sh            check all
#   run_golden.sh --update [NAME...]   rewrite the expected files
. "$(dirname "$0")/lib.sh"

dir=$top_srcdir/tests/golden
update=0
only=()
if [ "${1:-}" = "--update" ]; then
    update=1
    shift
    only=("$@")
fi
[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"

ran=0
while read -r name pcap args; do
    case "$name" in ''|'#'*) continue ;; esac
    if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qx "$name"; then
        continue
    fi
    db=$test_tmp/$name.db
    rc=0
    # @HTML@ and @JSON@ in the options are the HTML page and the JSON
    # document, compared with NAME.html and NAME.json.
    kinds="out db.out"
    case " $args " in *" @HTML@ "*) kinds="$kinds html" ;; esac
    case " $args " in *" @JSON@ "*) kinds="$kinds json" ;; esac
    args=${args//@HTML@/$test_tmp/$name.html}
    args=${args//@JSON@/$test_tmp/$name.json.raw}
    # shellcheck disable=SC2086
    (cd "$top_srcdir" && "$RINGSCOPE" -r "$pcap" -w "$db" $args) \
        > "$test_tmp/$name.out" 2> "$test_tmp/$name.err" || rc=$?
    if [ "$rc" -gt 1 ]; then
        fail "$name: exit status $rc: $(head -c 400 "$test_tmp/$name.err")"
        continue
    fi
    printf 'exit %d\n' "$rc" >> "$test_tmp/$name.out"
    # The version changes with every release, not with the analysis.
    if [ -f "$test_tmp/$name.json.raw" ]; then
        sed 's/"tool_version": "[^"]*"/"tool_version": "VERSION"/' \
            "$test_tmp/$name.json.raw" > "$test_tmp/$name.json"
    fi
    "$SQLITE3" -init /dev/null "$db" < "$dir/dump.sql" > "$test_tmp/$name.db.out" 2>&1
    ran=$((ran + 1))
    for kind in $kinds; do
        if [ "$update" -eq 1 ]; then
            cp "$test_tmp/$name.$kind" "$dir/$name.$kind"
        elif [ ! -f "$dir/$name.$kind" ]; then
            fail "$name: no expected file $name.$kind"
        elif diff -u "$dir/$name.$kind" "$test_tmp/$name.$kind" > "$test_tmp/diff"; then
            pass "$name.$kind"
        else
            fail "$name.$kind differs:"
            head -n 80 "$test_tmp/diff"
        fi
    done
done < "$dir/TESTLIST"
[ "$ran" -gt 0 ] || skip "TESTLIST has no tests"
finish
