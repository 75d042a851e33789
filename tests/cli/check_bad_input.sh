#!/usr/bin/env bash
# Bad input never crashes and always ends with a clear message and the
# documented exit status; whatever could be analysed is kept.
. "$(dirname "$0")/../golden/lib.sh"

# expect NAME STATUS PATTERN -- ARGS...: runs ringscope with ARGS and checks
# the exit status and that stderr matches PATTERN (extended regex).
expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local rc=0
    "$RINGSCOPE" "$@" >"$test_tmp/out" 2>"$test_tmp/err" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name: exit status $rc, expected $want ($(head -c 300 "$test_tmp/err"))"
    elif ! grep -Eq "$pattern" "$test_tmp/err"; then
        fail "$name: stderr does not match /$pattern/: $(head -c 300 "$test_tmp/err")"
    elif grep -Eq 'Sanitizer|runtime error' "$test_tmp/err"; then
        fail "$name: sanitizer report"
    else
        pass "$name"
    fi
}

t=$test_tmp
good=$(list_pcaps | head -n 1)
[ -n "$good" ] || skip "no capture in pcaps/"
good=$top_srcdir/$good

# A classic pcap header: magic, version 2.4, zone, sigfigs, snaplen, DLT.
pcap_header() {
    printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x00'
    printf "$1"
}

: > "$t/empty.pcap"
head -c 10 "$good" > "$t/short-header.pcap"
head -c 100000 /dev/urandom > "$t/garbage.pcap"
# A truncated last packet: cut the file in the middle of its last record.
size=$(stat -c %s "$good")
head -c $((size - 7)) "$good" > "$t/truncated.pcap"
# DLT 147 (USER0): a valid file we cannot decode.
{ pcap_header '\x93\x00\x00\x00'
  printf '\x00\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x04\x00\x00\x00abcd'; } > "$t/user0.pcap"
# A record claiming a 200 MB packet.
{ pcap_header '\x01\x00\x00\x00'
  printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0c\x00\x00\x00\x0c'; } > "$t/huge.pcap"

expect "missing file" 2 "cannot open '.*/nope.pcap': No such file or directory" -- \
    -r "$t/nope.pcap" -w "$t/a.db"
expect "empty file" 2 "cannot read '.*empty.pcap'" -- -r "$t/empty.pcap" -w "$t/b.db"
expect "truncated header" 2 "cannot read '.*short-header.pcap'" -- \
    -r "$t/short-header.pcap" -w "$t/c.db"
expect "garbage" 2 "cannot read '.*garbage.pcap'" -- -r "$t/garbage.pcap" -w "$t/d.db"
expect "unsupported link type" 2 "unsupported link type" -- \
    -r "$t/user0.pcap" -w "$t/e.db"
expect "huge packet length" 2 "huge.pcap" -- -r "$t/huge.pcap" -w "$t/f.db"
expect "truncated last packet" 2 "truncated.pcap.*analysed the [0-9]+ packets before it" -- \
    -r "$t/truncated.pcap" -w "$t/g.db"
# What came before the damage is stored, and the capture row says why
# reading stopped.
if [ -n "$SQLITE3" ]; then
    n=$("$SQLITE3" "$t/g.db" "SELECT packets FROM captures WHERE read_error IS NOT NULL AND complete = 1" 2>&1)
    total=$("$RINGSCOPE" -q -r "$good" -w "$t/g2.db" >/dev/null 2>&1; "$SQLITE3" "$t/g2.db" "SELECT packets FROM captures")
    if [ -n "$n" ] && [ "$n" -eq $((total - 1)) ]; then
        pass "truncated capture keeps the $n packets before the damage"
    else
        fail "truncated capture stored '$n' packets, expected $((total - 1))"
    fi
fi
expect "nonexistent interface" 2 "cannot open interface 'rsnosuch0'" -- \
    -i rsnosuch0 -w "$t/h.db"
# Missing capture permission: root without CAP_NET_RAW.
if [ "$(id -u)" -eq 0 ] && setpriv --bounding-set=-net_raw,-net_admin true 2>/dev/null; then
    RINGSCOPE_REAL=$RINGSCOPE
    noraw() { setpriv --bounding-set=-net_raw,-net_admin "$RINGSCOPE_REAL" "$@"; }
    RINGSCOPE=noraw
    expect "no capture permission" 2 "cannot open interface 'lo': permission denied" -- \
        -i lo -w "$t/perm.db"
    RINGSCOPE=$RINGSCOPE_REAL
elif [ "$(id -u)" -ne 0 ]; then
    expect "no capture permission" 2 "cannot open interface 'lo': permission denied" -- \
        -i lo -w "$t/perm.db"
fi
mkdir -p "$t/nodir"
expect "database directory missing" 2 "$t/nodir/missing/x.db" -- \
    -r "$good" -w "$t/nodir/missing/x.db"
printf 'this is not a database, just text that is long enough to look like one........\n%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 > "$t/notdb.db"
expect "not a database" 2 "not a ringscope database|corrupt" -- -r "$good" -w "$t/notdb.db"
if [ -n "$SQLITE3" ]; then
    "$SQLITE3" "$t/newer.db" "PRAGMA user_version = 999; CREATE TABLE captures(id INTEGER);"
    expect "newer schema" 2 "newer" -- -r "$good" -w "$t/newer.db"
    "$SQLITE3" "$t/locked.db" "SELECT 1" >/dev/null
    "$RINGSCOPE" -q -r "$good" -w "$t/locked.db" >/dev/null 2>&1 || true
    # Hold a write lock from another process while ringscope tries to write.
    ( "$SQLITE3" "$t/locked.db" "BEGIN EXCLUSIVE; SELECT 1;" ".shell sleep 12" "COMMIT;" >/dev/null 2>&1 & )
    sleep 1
    expect "locked database" 2 "locked" -- -r "$good" -w "$t/locked.db"
fi
# A read-only database, and a directory where none can be created.  Root
# ignores permission bits, so there a read-only bind mount in a private
# mount namespace stands in for them.
mkdir "$t/ro"
"$RINGSCOPE" -q -r "$good" -w "$t/ro/existing.db" >/dev/null 2>&1
"$SQLITE3" "$t/ro/existing.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null 2>&1
before=$(cksum < "$t/ro/existing.db")
if [ "$(id -u)" -ne 0 ]; then
    chmod 0444 "$t/ro/existing.db"
    chmod 0555 "$t/ro"
    expect "read-only database" 2 "read-only" -- -r "$good" -w "$t/ro/existing.db"
    expect "read-only directory" 2 "$t/ro/new.db" -- -r "$good" -w "$t/ro/new.db"
    chmod 0755 "$t/ro"
elif command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
    ro() { unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"' sh "$t/ro" "$RINGSCOPE_REAL" "$@"; }
    RINGSCOPE_REAL=$RINGSCOPE
    RINGSCOPE=ro
    expect "read-only database" 2 "read-only" -- -r "$good" -w "$t/ro/existing.db"
    expect "read-only directory" 2 "$t/ro/new.db" -- -r "$good" -w "$t/ro/new.db"
    RINGSCOPE=$RINGSCOPE_REAL
else
    printf 'note: cannot make a read-only place here; read-only checks not run\n'
fi
if [ "$(cksum < "$t/ro/existing.db")" = "$before" ]; then
    pass "the refused read-only database is unchanged"
else
    fail "the refused read-only database was modified"
fi
expect "usage: nothing to read" 2 "nothing to analyse" --
expect "usage: unknown option" 2 "unknown option '--bogus'" -- --bogus
expect "usage: bad count" 2 "invalid packet count 'x'" -- -r "$good" -c x
expect "usage: bad home net" 2 "invalid --home-net '10.0.0.1/8'" -- \
    -r "$good" --home-net 10.0.0.1/8
expect "bad filter" 2 "invalid filter" -- -r "$good" -w "$t/i.db" "port" "nonsense("
# Standard input (-r -): read once at most, and garbage is refused as from
# a file.
expect "usage: stdin twice" 2 "standard input\) can be given only once" -- \
    -r - -r -
expect "garbage on stdin" 2 "cannot read '-'" -- -r - -w "$t/j.db" \
    < "$t/garbage.pcap"
finish
