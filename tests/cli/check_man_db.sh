#!/usr/bin/env bash
# ringscope-db(5) documents the database as ringscope creates it: every
# table and column (with its declared type), every index and view, the
# schema version, and the finding kinds a database of lab captures holds;
# groff renders the page without warnings.
. "$(dirname "$0")/../golden/lib.sh"

[ -n "$SQLITE3" ] || skip "sqlite3 not installed"
man=$top_srcdir/man/ringscope-db.5
db=$test_tmp/fresh.db

"$RINGSCOPE" -q -w "$db" -r "$top_srcdir/pcaps/tcp-faults.pcap" \
    -r "$top_srcdir/pcaps/web-signaling.pcap" \
    -r "$top_srcdir/pcaps/rtp-one-way-lan.pcap" \
    -r "$top_srcdir/pcaps/sip-alg-lan.pcap"
[ $? -le 1 ] || fail "ringscope could not write the database"

# What the page documents: "table column TYPE" under each .SS heading,
# from lines such as: .BR first_ts " REAL, never NULL"
awk '/^\.SH /   { in_tables = ($2 == "TABLES") }
     in_tables && /^\.SS / { table = $2 }
     in_tables && /^\.BR / && table != "" {
         col = $2; gsub(/\\-/, "-", col)
         type = $4; gsub(/[",]/, "", type)
         print table, col, type }' "$man" | sort > "$test_tmp/documented"

# What the database has.
: > "$test_tmp/actual"
for t in $("$SQLITE3" "$db" "SELECT name FROM sqlite_master WHERE type =
           'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
    "$SQLITE3" -separator ' ' "$db" "SELECT '$t', name, type FROM
                                      pragma_table_info('$t')" \
        >> "$test_tmp/actual"
done
sort -o "$test_tmp/actual" "$test_tmp/actual"
[ -s "$test_tmp/actual" ] || fail "no tables in a fresh database"

missing=$(comm -23 "$test_tmp/actual" "$test_tmp/documented")
extra=$(comm -13 "$test_tmp/actual" "$test_tmp/documented")
n=$(wc -l < "$test_tmp/actual")
[ -z "$missing" ] && pass "every column is documented with its type ($n)" \
    || fail "columns missing from ringscope-db.5 (table column type):
$missing"
[ -z "$extra" ] && pass "no column documented that the database lacks" \
    || fail "ringscope-db.5 documents columns the database lacks:
$extra"

# Indexes and views, by name (.B name under INDEXES and VIEWS).
for kind in index view; do
    for name in $("$SQLITE3" "$db" "SELECT name FROM sqlite_master WHERE
                  type = '$kind' AND name NOT LIKE 'sqlite_%'"); do
        esc=$(printf '%s' "$name" | sed 's/-/\\\\-/g')
        grep -qx "\.B $esc" "$man" && pass "$kind $name documented" \
            || fail "$kind $name is not in ringscope-db.5"
    done
done

# The schema version.
v=$("$SQLITE3" "$db" "PRAGMA user_version")
grep -q "^writes version $v\.$" "$man" && pass "schema version $v" \
    || fail "ringscope-db.5 does not say it writes version $v"

# Finding kinds seen in the lab captures are described under FINDING KINDS.
for k in $("$SQLITE3" "$db" "SELECT DISTINCT kind FROM findings ORDER BY 1"); do
    awk '/^\.SH /{ s = ($2 == "FINDING") } s' "$man" | grep -qx "\.B $k" \
        && pass "finding kind $k documented" \
        || fail "finding kind $k is not under FINDING KINDS"
done

if command -v groff >/dev/null; then
    warn=$(groff -ww -z -man "$man" 2>&1)
    [ -z "$warn" ] && pass "groff -ww is silent" || fail "groff warnings: $warn"
fi
grep -q 'ringscope\\-db (5)' "$top_srcdir/man/ringscope.1" \
    && pass "ringscope(1) points to ringscope-db(5)" \
    || fail "ringscope(1) does not point to ringscope-db(5)"
finish
