#!/bin/bash
# tests/lab/make_pcaps.sh: re-record the lab captures in pcaps/.
#
# Usage: make_pcaps.sh [-o OUTDIR] [SCENARIO...]
#
# A scenario is any tests/lab/*.sh other than lib.sh, make_pcaps.sh and
# check_*.sh; it takes the output directory as $1 and exits non-zero when
# its traffic did not happen as intended.  Without arguments every
# scenario runs, one after the other (they are short, and the lab shares
# the machine's CPU).  Each scenario records into a scratch directory;
# its captures replace those in OUTDIR (default pcaps/) only when it
# succeeded, so a failed run never overwrites a good capture.  Needs root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../pcaps
if [ "${1:-}" = -o ]; then
    out=$2
    shift 2
fi

if [ $# -eq 0 ]; then
    for f in "$here"/*.sh; do
        case ${f##*/} in
        lib.sh | lib_*.sh | make_pcaps.sh | check_*.sh) ;;
        *) set -- "$@" "${f##*/}" ;;
        esac
    done
fi

mkdir -p "$out"
failed=0
for s in "$@"; do
    s=${s%.sh}.sh
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/ringscope-pcaps.XXXXXX")
    start=$EPOCHREALTIME
    if "$here/$s" "$tmp" >"$tmp.log" 2>&1; then
        rc=ok
        for f in "$tmp"/*.pcap; do
            [ -e "$f" ] && mv -f "$f" "$out"/
        done
    else
        rc="FAILED (exit $?)"
        failed=1
        sed 's/^/    /' "$tmp.log" >&2
    fi
    printf '%-24s %-18s %s s\n' "$s" "$rc" \
        "$(awk -v a="$start" -v b="$EPOCHREALTIME" \
            'BEGIN { printf "%5.1f", b - a }')"
    rm -rf "$tmp" "$tmp.log"
done
for f in "$out"/*.pcap; do
    [ -e "$f" ] || continue
    printf '%-28s %5d packets %8d bytes\n' "${f##*/}" \
        "$(capinfos -c -M "$f" | awk '/Number of packets/ { print $4 }')" \
        "$(stat -c %s "$f")"
done
exit $failed
