#!/usr/bin/env bash
# Every option in --help is documented in ringscope(1), and the page is
# free of groff warnings.
. "$(dirname "$0")/../golden/lib.sh"

man=$top_srcdir/man/ringscope.1
"$RINGSCOPE" --help > "$test_tmp/help" || fail "--help exits non-zero"
opts=$(grep -oE -- '--[a-z][a-z-]+' "$test_tmp/help" | sort -u)
[ -n "$opts" ] || fail "no options found in --help"
for o in $opts; do
    # The page escapes dashes: --read is written \-\-read.
    esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
    if grep -q -- "$esc" "$man"; then
        pass "$o documented"
    else
        fail "$o is in --help but not in man/ringscope.1"
    fi
done
if command -v groff >/dev/null; then
    warn=$(groff -ww -z -man "$man" 2>&1)
    [ -z "$warn" ] && pass "groff -ww is silent" || fail "groff warnings: $warn"
fi
"$RINGSCOPE" --version | grep -Eq '^ringscope [0-9]+\.[0-9]+' \
    && pass "--version" || fail "--version output"
finish
