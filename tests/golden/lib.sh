# Shared helpers for the script tests; sourced, never run.
#
# The test harness (make check) exports RINGSCOPE, top_srcdir, TSHARK,
# SQLITE3, TZ=UTC and LC_ALL=C.  Scripts exit 0 (pass), 1 (fail) or
# 77 (skip, with the reason on stdout).

set -u

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${RINGSCOPE:=$top_srcdir/build/ringscope}"
: "${TSHARK:=$(command -v tshark || true)}"
: "${SQLITE3:=$(command -v sqlite3 || true)}"
export TZ=UTC LC_ALL=C

test_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ringscope-test.XXXXXX")
trap 'rm -rf "$test_tmp"' EXIT

failures=0

fail() {
    printf 'FAIL: %s\n' "$*"
    failures=$((failures + 1))
}

pass() {
    printf 'ok: %s\n' "$*"
}

skip() {
    printf 'SKIP: %s\n' "$*"
    exit 77
}

finish() {
    if [ "$failures" -ne 0 ]; then
        printf '%d check(s) failed\n' "$failures"
        exit 1
    fi
    exit 0
}

# All capture files shipped in pcaps/, one per line, relative to top_srcdir.
list_pcaps() {
    (cd "$top_srcdir" && ls pcaps/*.pcap pcaps/*.pcapng 2>/dev/null | LC_ALL=C sort)
}
