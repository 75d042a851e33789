#!/usr/bin/env bash
# IPFIX export against a real collector: nfdump's nfcapd listens on
# loopback, ringscope analyses several lab captures with --ipfix and -w in
# the same run, and every flow nfdump reads back (addresses, ports,
# protocol, first second, packets and bytes each way) equals a flow of
# the database, and the other way round.  Also: over TCP, a minimal
# collector (ipfix_tcp_collector.py) checks the message framing; and the
# export options' bad input, an unknown host, a collector not listening.
. "$(dirname "$0")/../golden/lib.sh"

for t in nfcapd nfdump python3; do
    command -v "$t" >/dev/null || skip "$t not installed"
done
[ -n "$SQLITE3" ] || skip "sqlite3 not installed"
[ -x "$RINGSCOPE" ] || skip "no ringscope binary at $RINGSCOPE"

pcaps=""
for p in sip-alg-lan tcp-faults web-signaling span-duplicates \
         sip-no-response-wan; do
    f=$top_srcdir/pcaps/$p.pcap
    [ -f "$f" ] || skip "pcaps/$p.pcap missing"
    pcaps="$pcaps -r $f"
done

# --- bad input -------------------------------------------------------
"$RINGSCOPE" -q --no-db --ipfix 127.0.0.1:4739 -r /nonexistent \
    > /dev/null 2> "$test_tmp/probe"
if grep -q "built without libfixbuf" "$test_tmp/probe"; then
    "$RINGSCOPE" -q --no-db --ipfix 127.0.0.1:4739 -r x > /dev/null 2>&1
    [ $? -eq 2 ] && pass "--ipfix without libfixbuf: exit 2" \
        || fail "--ipfix without libfixbuf: not exit 2"
    skip "ringscope built without libfixbuf"
fi
for bad in "127.0.0.1" "127.0.0.1:" "127.0.0.1:0" "127.0.0.1:70000" \
           "127.0.0.1:4739/sctp" "::1:4739" "[::1:4739" ":4739"; do
    "$RINGSCOPE" -q --no-db --ipfix "$bad" -r x > /dev/null \
        2> "$test_tmp/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q "invalid --ipfix" "$test_tmp/err"; then
        pass "--ipfix '$bad' refused"
    else
        fail "--ipfix '$bad': exit $rc, $(cat "$test_tmp/err")"
    fi
done
for bad in 0 -1 x 4294967296; do
    "$RINGSCOPE" -q --no-db --ipfix 127.0.0.1:4739 --ipfix-pen "$bad" \
        -r x > /dev/null 2> "$test_tmp/err"
    rc=$?
    [ $rc -eq 2 ] && grep -q "invalid --ipfix-pen" "$test_tmp/err" \
        && pass "--ipfix-pen '$bad' refused" \
        || fail "--ipfix-pen '$bad': exit $rc"
done
"$RINGSCOPE" -q --no-db --ipfix-pen 9 -r x > /dev/null 2> "$test_tmp/err"
[ $? -eq 2 ] && grep -q "needs --ipfix" "$test_tmp/err" \
    && pass "--ipfix-pen alone refused" || fail "--ipfix-pen alone accepted"
"$RINGSCOPE" -q --no-db --ipfix no-such-host.invalid:4739 \
    -r "$top_srcdir/pcaps/tcp-faults.pcap" > /dev/null 2> "$test_tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "cannot resolve collector" "$test_tmp/err" \
    && pass "unknown collector host: exit 2 with a reason" \
    || fail "unknown collector host: exit $rc, $(cat "$test_tmp/err")"

"$RINGSCOPE" -q --no-db --ipfix 127.0.0.1:1/tcp \
    -r "$top_srcdir/pcaps/tcp-faults.pcap" > /dev/null 2> "$test_tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "cannot start export" "$test_tmp/err" \
    && pass "TCP collector not listening: exit 2 with a reason" \
    || fail "TCP collector not listening: exit $rc, $(cat "$test_tmp/err")"

# --- over TCP: a stream of well-formed IPFIX messages ------------------
python3 "$top_srcdir/tests/cli/ipfix_tcp_collector.py" "$test_tmp/tcp.port" \
    "$test_tmp/tcp.txt" &
collector=$!
for _ in $(seq 50); do
    [ -s "$test_tmp/tcp.port" ] && break
    sleep 0.1
done
"$RINGSCOPE" -q -w "$test_tmp/tcp.db" \
    --ipfix "127.0.0.1:$(cat "$test_tmp/tcp.port")/tcp" \
    -r "$top_srcdir/pcaps/tcp-faults.pcap" 2> "$test_tmp/err"
rc=$?
wait "$collector"
read -r msgs sets data_sets verdict < "$test_tmp/tcp.txt"
[ $rc -le 1 ] && [ "$verdict" = ok ] && [ "$msgs" -gt 0 ] \
    && pass "TCP export: $msgs well-formed messages, $sets sets" \
    || fail "TCP export: exit $rc, ${msgs:-0} messages: ${verdict:-none} $(cat "$test_tmp/err")"
[ "${data_sets:-0}" -gt 0 ] && pass "TCP export carried $data_sets data sets" \
    || fail "TCP export carried no data"

# --- export to nfcapd ------------------------------------------------
mkdir -p "$test_tmp/flows"
nfcapd_pid=""
stop_nfcapd() {
    if [ -n "$nfcapd_pid" ]; then
        kill -TERM "$nfcapd_pid" 2>/dev/null
        wait "$nfcapd_pid" 2>/dev/null
        nfcapd_pid=""
    fi
}
trap 'stop_nfcapd; rm -rf "$test_tmp"' EXIT

# A port that is free now; nfcapd may still lose a race for it, so try
# a few times.
for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
    nfcapd -b 127.0.0.1 -p "$port" -w "$test_tmp/flows" -t 3600 \
        > "$test_tmp/nfcapd.log" 2>&1 &
    nfcapd_pid=$!
    sleep 0.5
    if kill -0 "$nfcapd_pid" 2>/dev/null; then
        break
    fi
    wait "$nfcapd_pid" 2>/dev/null
    nfcapd_pid=""
done
[ -n "$nfcapd_pid" ] || { cat "$test_tmp/nfcapd.log"; fail "nfcapd did not start"; finish; }

# shellcheck disable=SC2086
"$RINGSCOPE" -q -w "$test_tmp/run.db" --ipfix "127.0.0.1:$port/udp" \
    --ipfix-pen 32473 $pcaps 2> "$test_tmp/ringscope.err"
rc=$?
[ $rc -le 1 ] && pass "ringscope with --ipfix: exit $rc" \
    || fail "ringscope with --ipfix: exit $rc: $(cat "$test_tmp/ringscope.err")"
[ -s "$test_tmp/ringscope.err" ] \
    && fail "ringscope wrote errors: $(cat "$test_tmp/ringscope.err")"
# Loopback delivers at once; give nfcapd a moment to read its socket,
# then stop it: it closes its current file under the final name.
sleep 2
stop_nfcapd
files=$(ls "$test_tmp/flows"/nfcapd.2* 2>/dev/null)
[ -n "$files" ] || { cat "$test_tmp/nfcapd.log"; fail "nfcapd wrote no file"; finish; }

# nfdump's csv: ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt
for f in $files; do
    nfdump -q -r "$f" -o csv
done | awk -F, 'NF > 15 { split($1, t, "."); printf "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", t[1], $4, $5, $6, $7, $8, $12, $13, $14, $15 }' \
    | LC_ALL=C sort > "$test_tmp/nfdump.txt"
"$SQLITE3" -separator '|' "$test_tmp/run.db" "
    SELECT datetime(CAST(first_ts + 1e-7 AS INTEGER), 'unixepoch'),
           client_ip, server_ip, client_port, server_port,
           CASE proto WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP'
                      WHEN 1 THEN 'ICMP' WHEN 58 THEN 'ICMP6'
                      ELSE proto END,
           c2s_packets, c2s_bytes, s2c_packets, s2c_bytes
    FROM flows" | LC_ALL=C sort > "$test_tmp/db.txt"

n_db=$(wc -l < "$test_tmp/db.txt")
n_nf=$(wc -l < "$test_tmp/nfdump.txt")
[ "$n_db" -gt 20 ] && pass "the database has $n_db flows" \
    || fail "only $n_db flows in the database"
if diff -u "$test_tmp/db.txt" "$test_tmp/nfdump.txt" > "$test_tmp/diff"; then
    pass "nfdump read the same $n_nf flows as the database (addresses, ports, protocol, start, packets and bytes each way)"
else
    fail "nfdump and the database differ ($n_nf vs $n_db flows):"
    head -40 "$test_tmp/diff"
fi
captures=$("$SQLITE3" "$test_tmp/run.db" "SELECT count(*) FROM captures")
[ "$captures" -eq 5 ] && pass "five captures in one run" \
    || fail "$captures captures in the database"
finish
