#!/usr/bin/env bash
# Static analysis: cppcheck finds nothing in src/ at the warning and
# portability levels.  duplicateAssignExpression is left out: it flags
# "size_t i = *pos, start = *pos;", two cursors starting at one place,
# which is deliberate throughout the parsers.
. "$(dirname "$0")/../golden/lib.sh"

command -v cppcheck >/dev/null || skip "cppcheck not installed"

# config.h is generated; its absence only hides configuration branches.
if cppcheck --enable=warning,portability --error-exitcode=1 --quiet \
        --suppress=duplicateAssignExpression --suppress=missingIncludeSystem \
        --inline-suppr -I "$top_srcdir/include" "$top_srcdir/src" \
        > "$test_tmp/out" 2>&1; then
    pass "cppcheck: no findings in src/"
else
    fail "cppcheck findings:"
    grep -E '^[^ ].*: (error|warning|portability|style|performance):' "$test_tmp/out" |
        sed "s|$top_srcdir/||"
fi
finish
