#!/usr/bin/env bash
# Live capture with --workers 2: two AF_PACKET sockets in one fanout group
# share a veth between two lab namespaces while tcpreplay sends a
# generated office capture (SIP, RTP, web, DNS) at a fixed rate.  Every
# flow of the file analysis must appear in the live database with the same
# endpoints and the same packets and bytes each way, and nothing may be
# dropped.
. "$(dirname "$0")/lib.sh"

lab_require_root
lab_require_cmd tcpreplay sqlite3
: "${RINGSCOPE:?RINGSCOPE must name the ringscope binary}"
: "${top_builddir:=$LAB_DIR/../../build}"
mkcapture=$top_builddir/bench/mkcapture
[ -x "$mkcapture" ] || lab_skip "bench/mkcapture is not built"

pcap=$LAB_TMP/office.pcap
"$mkcapture" -n 20000 -c 40 -s 3 -o "$pcap" || lab_die "mkcapture failed"

lab_ns gen
lab_ns mon
lab_link gen g0 - mon m0 -

# Flows, keyed by endpoints, with what was counted each way.
flows() {
    sqlite3 "$1" "SELECT proto, client_ip, client_port, server_ip,
                         server_port, c2s_packets, s2c_packets, c2s_bytes,
                         s2c_bytes FROM flows
                  ORDER BY proto, client_ip, client_port, server_ip,
                           server_port, c2s_packets"
}

"$RINGSCOPE" -q -r "$pcap" -w "$LAB_TMP/file.db" > /dev/null 2>&1
flows "$LAB_TMP/file.db" > "$LAB_TMP/file.flows"
[ -s "$LAB_TMP/file.flows" ] || lab_die "the file analysis found no flows"

lab_spawn mon "$RINGSCOPE" -v --workers 2 -i m0 -w "$LAB_TMP/live.db"
rs_pid=$LAB_LAST_PID
rs_log=$LAB_LAST_LOG
sleep 1.5
kill -0 "$rs_pid" 2>/dev/null || lab_die "ringscope did not start: $(cat "$rs_log")"
lab_x gen tcpreplay -q -i g0 --pps 4000 "$pcap" > "$LAB_TMP/replay.log" 2>&1 ||
    lab_die "tcpreplay failed: $(cat "$LAB_TMP/replay.log")"
sleep 1
kill -INT "$rs_pid"
rc=0
wait "$rs_pid" || rc=$?

failures=0
check() {
    if [ "$1" = ok ]; then
        printf 'ok: %s\n' "$2"
    else
        printf 'FAIL: %s\n' "$2"
        failures=$((failures + 1))
    fi
}
[ "$rc" -le 1 ] && check ok "ringscope stopped cleanly (exit $rc)" ||
    check fail "ringscope exit status $rc: $(cat "$rs_log")"
row=$(sqlite3 "$LAB_TMP/live.db" "SELECT packets, drops, interrupted FROM captures")
want=$(sqlite3 "$LAB_TMP/file.db" "SELECT packets FROM captures")
[ "$row" = "$want|0|1" ] && check ok "capture row: $row (packets|drops|interrupted)" ||
    check fail "capture row '$row', expected '$want|0|1'"
flows "$LAB_TMP/live.db" > "$LAB_TMP/live.flows"
if diff -u "$LAB_TMP/file.flows" "$LAB_TMP/live.flows" > "$LAB_TMP/diff"; then
    check ok "$(wc -l < "$LAB_TMP/file.flows") flows as in the file analysis"
else
    check fail "live flows differ from the file analysis:"
    head -n 40 "$LAB_TMP/diff"
fi
# The kernel spread the traffic: each socket received some of it.
n=$(grep -c 'fanout socket [12]: [1-9][0-9]* packets received' "$rs_log")
[ "$n" = 2 ] && check ok "both fanout sockets received packets" ||
    check fail "fanout sockets: $(grep 'fanout socket' "$rs_log")"
[ "$failures" -eq 0 ] || exit 1
exit 0
