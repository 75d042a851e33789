#!/usr/bin/env bash
# Live capture end to end: ringscope captures on the loopback interface of
# a private network namespace while a few UDP and TCP exchanges run, is
# stopped with SIGINT, and must have flushed every flow and the capture row.
. "$(dirname "$0")/../golden/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "live capture needs root"
command -v unshare >/dev/null && unshare -n true 2>/dev/null ||
    skip "cannot create a network namespace here"
command -v python3 >/dev/null || skip "python3 not installed"
[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"

db=$test_tmp/live.db
cat > "$test_tmp/traffic.py" <<'PY'
import socket, time
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(('127.0.0.1', 5060))
cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5):
    cli.sendto(b'OPTIONS sip:x SIP/2.0\r\n\r\n', ('127.0.0.1', 5060))
    data, peer = srv.recvfrom(2048)
    srv.sendto(b'SIP/2.0 200 OK\r\n\r\n', peer)
    cli.recvfrom(2048)
lst = socket.socket()
lst.bind(('127.0.0.1', 5222))
lst.listen(1)
c = socket.create_connection(('127.0.0.1', 5222))
s, _ = lst.accept()
c.sendall(b'<stream:stream>')
s.recv(100)
c.close()
s.close()
PY
# Everything below runs inside one private network namespace.
unshare -n bash -c '
    set -e
    ip link set lo up
    "$1" -i lo -w "$2" -q "udp port 5060 or tcp port 5222" 2> "$3/err" &
    pid=$!
    sleep 1.5
    python3 "$3/traffic.py"
    sleep 1
    kill -INT "$pid"
    rc=0
    wait "$pid" || rc=$?
    echo "$rc" > "$3/rc"
' sh "$RINGSCOPE" "$db" "$test_tmp"

rc=$(cat "$test_tmp/rc" 2>/dev/null || echo missing)
[ "$rc" = 0 ] && pass "stopped cleanly by SIGINT" ||
    fail "exit status after SIGINT: $rc ($(cat "$test_tmp/err"))"
row=$("$SQLITE3" "$db" "SELECT source, link_type, interrupted, complete, drops FROM captures")
[ "$row" = "lo|EN10MB|1|1|0" ] && pass "capture row: $row" ||
    fail "capture row: '$row'"
flows=$("$SQLITE3" "$db" "SELECT proto, server_port, c2s_packets, s2c_packets FROM flows ORDER BY proto, server_port")
# The UDP exchange is exact; the TCP one only has to be there (how many
# teardown segments fall inside the capture depends on timing).
printf '%s\n' "$flows" | grep -qx '17|5060|5|5' &&
    pass "UDP flow flushed on SIGINT" || fail "UDP flow after SIGINT: '$flows'"
printf '%s\n' "$flows" | grep -q '^6|5222|[1-9]' &&
    pass "TCP flow flushed on SIGINT" || fail "TCP flow after SIGINT: '$flows'"
finish
