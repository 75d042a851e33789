#!/usr/bin/env bash
# Least privilege: with -Z USER, a live capture started as root runs as
# USER once the interface and the database are open (checked in
# /proc/PID/status while it captures), keeps capturing and writing, and
# flushes everything on SIGINT.  Runs on the loopback interface of a
# private network namespace, like check_live.sh.
. "$(dirname "$0")/../golden/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "dropping privileges needs root"
command -v unshare >/dev/null && unshare -n true 2>/dev/null ||
    skip "cannot create a network namespace here"
command -v python3 >/dev/null || skip "python3 not installed"
[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"
user=nobody
uid=$(id -u "$user" 2>/dev/null) || skip "no user '$user'"

# A directory the user can write, so SQLite can recreate -wal and -shm.
dir=$test_tmp/db
mkdir -p "$dir"
chown "$user" "$dir"
chmod 755 "$test_tmp"
db=$dir/live.db

cat > "$test_tmp/traffic.py" <<'PY'
import socket
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(('127.0.0.1', 5060))
cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5):
    cli.sendto(b'OPTIONS sip:x SIP/2.0\r\n\r\n', ('127.0.0.1', 5060))
    data, peer = srv.recvfrom(2048)
    srv.sendto(b'SIP/2.0 200 OK\r\n\r\n', peer)
    cli.recvfrom(2048)
PY
unshare -n bash -c '
    ip link set lo up
    "$1" -i lo -Z "$4" -w "$2" -q "udp port 5060" 2> "$3/err" &
    pid=$!
    sleep 1.5
    grep -E "^(Uid|Gid|CapEff):" /proc/$pid/status > "$3/status"
    python3 "$3/traffic.py"
    sleep 1
    kill -INT "$pid"
    rc=0
    wait "$pid" || rc=$?
    echo "$rc" > "$3/rc"
' sh "$RINGSCOPE" "$db" "$test_tmp" "$user"

uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "$test_tmp/status")
[ "$uids" = "$uid $uid $uid $uid" ] &&
    pass "capturing as $user: Uid $uids" ||
    fail "Uid while capturing: '$uids' (expected $uid four times; $(cat "$test_tmp/err"))"
caps=$(awk '/^CapEff:/ { print $2 }' "$test_tmp/status")
[ "$caps" = 0000000000000000 ] && pass "no capabilities left" ||
    fail "effective capabilities while capturing: '$caps'"
rc=$(cat "$test_tmp/rc" 2>/dev/null || echo missing)
[ "$rc" = 0 ] && pass "stopped cleanly by SIGINT" ||
    fail "exit status after SIGINT: $rc ($(cat "$test_tmp/err"))"
row=$("$SQLITE3" "$db" "SELECT source, complete FROM captures" 2>&1)
[ "$row" = "lo|1" ] && pass "capture row written after the drop: $row" ||
    fail "capture row: '$row'"
flows=$("$SQLITE3" "$db" "SELECT proto, server_port, c2s_packets, s2c_packets FROM flows" 2>&1)
[ "$flows" = "17|5060|5|5" ] && pass "flow written after the drop" ||
    fail "flows: '$flows'"
owner=$(stat -c %U "$db")
[ "$owner" = "$user" ] && pass "database belongs to $user" ||
    fail "database owner: $owner"
check=$("$SQLITE3" "$db" "PRAGMA integrity_check" 2>&1)
[ "$check" = ok ] && pass "integrity_check ok" || fail "integrity_check: $check"

# An unknown user is refused before anything is captured: ringscope
# stops rather than run on as root.
rc=0
unshare -n bash -c 'ip link set lo up && exec "$1" -i lo -Z rsnosuchuser -w "$2" -q' \
    sh "$RINGSCOPE" "$test_tmp/x.db" 2> "$test_tmp/err2" || rc=$?
[ "$rc" = 2 ] && grep -q "cannot switch to user 'rsnosuchuser'" "$test_tmp/err2" &&
    pass "unknown user refused" ||
    fail "unknown user: exit $rc: $(cat "$test_tmp/err2")"
finish
