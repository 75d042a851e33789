#!/usr/bin/env bash
# For every capture in pcaps/, ringscope's nDPI adapter names every flow as
# nDPI's own ndpiReader does: same flows, same protocol ("TLS.AmazonAWS"),
# same category, and nDPI inspects as many packets in all (ndpiReader's
# "DPI Packets"), which checks that the adapter stops feeding a flow when
# ndpiReader does.  The adapter sees packets through ringscope's capture,
# decoder and flow table, so this also checks that those hand nDPI the
# packets ndpiReader would.  Endpoints are compared unordered: ndpiReader
# puts the sender of a flow's first packet first, ringscope the client.
. "$(dirname "$0")/lib.sh"

: "${NDPIREADER:=$(command -v ndpiReader || true)}"
: "${NDPI_DUMP:=${top_builddir:-$top_srcdir/build}/tests/tools/ndpi_dump}"

[ -n "$NDPIREADER" ] && [ -x "$NDPIREADER" ] ||
    skip "ndpiReader not installed (Debian: libndpi-bin)"
[ -x "$NDPI_DUMP" ] || skip "tests/tools/ndpi_dump not built"
pcaps=$(list_pcaps)
[ -n "$pcaps" ] || skip "no captures in pcaps/"

# Results differ between nDPI versions, so both sides must use the same one.
first=$(printf '%s\n' "$pcaps" | head -n 1)
"$NDPIREADER" -i "$top_srcdir/$first" -v 1 > "$test_tmp/banner" 2>&1 ||
    skip "ndpiReader cannot read $first"
reader_version=$(sed -n 's/^Using nDPI (\([^)]*\)).*/\1/p' "$test_tmp/banner")
if ! "$NDPI_DUMP" "$top_srcdir/$first" > /dev/null 2> "$test_tmp/dump_err"
then
    fail "$first: ndpi_dump failed: $(cat "$test_tmp/dump_err")"
    finish
fi
our_version=$(sed -n 's/^ndpi_dump: nDPI \([^:]*\):.*/\1/p' \
    "$test_tmp/dump_err")
[ -n "$reader_version" ] && [ "$reader_version" = "$our_version" ] ||
    skip "ndpiReader uses nDPI '$reader_version', ringscope '$our_version'"

# ndpiReader -v 2 prints one line per flow:
#   <TAB>ID<TAB>L4 SRC:PORT <-> DST:PORT [proto: ID/NAME]...[cat: CAT/N]...
# Both sides become "L4 ENDPOINT ENDPOINT NAME CATEGORY", endpoints sorted,
# category "-" when there is none.
normalize_reader() {
    awk '
        /^\t[0-9]+\t/ && index($0, "[proto: ") {
            name = $0
            sub(/.*\[proto: /, "", name)
            sub(/\].*/, "", name)
            sub(/^[^\/]*\//, "", name)
            cat = "-"
            if (index($0, "[cat: ")) {
                cat = $0
                sub(/.*\[cat: /, "", cat)
                sub(/\].*/, "", cat)
                sub(/\/[0-9]+$/, "", cat)
            }
            a = $3; b = $5
            if (a > b) { t = a; a = b; b = t }
            print $2, a, b, name, cat
        }'
}

normalize_dump() {
    awk '{
        rest = $0
        sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", rest)
        a = $2; b = $3
        if (a > b) { t = a; a = b; b = t }
        print $1, a, b, rest
    }'
}

for p in $pcaps; do
    name=$(basename "$p")
    if ! "$NDPIREADER" -i "$top_srcdir/$p" -v 2 > "$test_tmp/$name.reader" \
            2>&1; then
        fail "$p: ndpiReader failed"
        continue
    fi
    if ! "$NDPI_DUMP" "$top_srcdir/$p" > "$test_tmp/$name.dump" \
            2> "$test_tmp/$name.err"; then
        fail "$p: ndpi_dump failed: $(cat "$test_tmp/$name.err")"
        continue
    fi
    normalize_reader < "$test_tmp/$name.reader" | sort > "$test_tmp/$name.a"
    normalize_dump < "$test_tmp/$name.dump" | sort > "$test_tmp/$name.b"
    n=$(wc -l < "$test_tmp/$name.a")
    reader_pkts=$(awk '/^\tDPI Packets \(/ { s += $4 } END { print s + 0 }' \
        "$test_tmp/$name.reader")
    our_pkts=$(sed -n 's/.* \([0-9][0-9]*\) packets fed.*/\1/p' \
        "$test_tmp/$name.err")
    if [ "$n" -eq 0 ]; then
        fail "$p: no flows in ndpiReader's output"
    elif ! diff -u --label ndpiReader --label ringscope \
            "$test_tmp/$name.a" "$test_tmp/$name.b"; then
        fail "$p: flows differ from ndpiReader's"
    elif [ "$reader_pkts" != "$our_pkts" ]; then
        fail "$p: nDPI inspected $our_pkts packets, in ndpiReader $reader_pkts"
    else
        pass "$p: $n flows and $our_pkts inspected packets agree"
    fi
done
finish
