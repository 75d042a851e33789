#!/usr/bin/env bash
# Live capture against a replay: the lab captures are sent with tcpreplay
# at a fixed rate from one network namespace over a veth pair to another,
# where ringscope captures with -i.  The kernel must drop nothing, ringscope
# must see every frame tcpreplay sent, and its flows (5-tuples, packets and
# bytes each way) must equal those of reading the same files with -r.
#
# The captures replayed together are those among pcaps/ (Ethernet) whose
# conversations do not recur in another one chosen before: in a single live
# capture, two files holding the same 5-tuple would make one flow.
#
# REPLAY_PPS sets the rate (15000 packets/s; "max" for --topspeed).  The
# highest rate measured without a drop on a 2-core development machine
# (build without sanitizers, other builds running): tcpreplay --topspeed
# --loop 400 of three lab captures, 542,800 frames (159 MB, far more than
# the 32 MiB capture buffer holds) at about 75,000 packets/s (175 Mbit/s),
# all captured; tcpreplay itself was the limit.
# Needs root, ip netns and tcpreplay; skips (77) otherwise.
. "$(dirname "$0")/../golden/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "live replay needs root (network namespaces)"
command -v tcpreplay >/dev/null || skip "tcpreplay is not installed"
command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"
[ -x "$RINGSCOPE" ] || skip "no ringscope program at '$RINGSCOPE'"

pps=${REPLAY_PPS:-15000}
. "$top_srcdir/tests/lab/lib.sh"
# lab_cleanup stops what the lab started and deletes its namespaces.
trap 'lab_cleanup; rm -rf "$test_tmp"' EXIT
lab_require_root

q() {
    "$SQLITE3" -cmd ".timeout 2000" "$1" "$2"
}

# --- which captures, and what reading them gives ----------------------
files=()
while read -r f; do
    # Classic pcap, link type at offset 20 (either byte order): 1 is
    # Ethernet, the only kind a veth carries.
    lt=$(od -An -tu1 -j20 -N4 "$top_srcdir/$f" | tr -s ' ' | sed 's/^ //')
    case $lt in
    "1 0 0 0" | "0 0 0 1") files+=("$top_srcdir/$f") ;;
    esac
done < <(cd "$top_srcdir" && ls pcaps/*.pcap | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || skip "no Ethernet captures in pcaps/"

ref=$test_tmp/ref.db
args=()
for f in "${files[@]}"; do
    args+=(-r "$f")
done
"$RINGSCOPE" -q "${args[@]}" -w "$ref" >/dev/null 2>"$test_tmp/ref.err"
[ -s "$ref" ] || { fail "reading the captures: $(cat "$test_tmp/ref.err")"; finish; }

# Greedy choice in name order: a capture joins when none of its flows'
# 5-tuples (either direction) is in a capture already chosen.
chosen=
replay=()
i=0
for f in "${files[@]}"; do
    i=$((i + 1))
    id=$(q "$ref" "SELECT id FROM captures WHERE source = '$f'")
    [ -n "$id" ] || { fail "no capture row for $f"; continue; }
    if [ -n "$chosen" ]; then
        clash=$(q "$ref" "SELECT count(*) FROM flows a JOIN flows b
            ON a.proto = b.proto AND
               ((a.client_ip = b.client_ip AND a.client_port = b.client_port
                 AND a.server_ip = b.server_ip AND a.server_port = b.server_port)
             OR (a.client_ip = b.server_ip AND a.client_port = b.server_port
                 AND a.server_ip = b.client_ip AND a.server_port = b.client_port))
            WHERE a.capture_id = $id AND b.capture_id IN ($chosen)")
        [ "$clash" = 0 ] || continue
    fi
    chosen=${chosen:+$chosen,}$id
    replay+=("$f")
done
[ ${#replay[@]} -ge 2 ] || { fail "fewer than two captures to replay"; finish; }
want_packets=$(q "$ref" "SELECT sum(packets) FROM captures WHERE id IN ($chosen)")
flow_cols="ip_version, proto, client_ip, client_port, server_ip, server_port,
    vlan, c2s_packets, s2c_packets, c2s_bytes, s2c_bytes"
q "$ref" "SELECT $flow_cols FROM flows WHERE capture_id IN ($chosen)
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9" > "$test_tmp/ref.flows"
pass "replaying ${#replay[@]} captures, $want_packets packets: $(for f in "${replay[@]}"; do basename "$f" .pcap; done | tr '\n' ' ')"

# --- the lab: tx -> veth -> rx ------------------------------------------
lab_ns tx
lab_ns rx
# No addresses: the receiving kernel answers nothing, so the capture holds
# exactly what was replayed.
lab_link tx eth0 - rx eth0 -

live=$test_tmp/live.db
lab_spawn rx "$RINGSCOPE" -q -i eth0 -w "$live"
rs_pid=$LAB_LAST_PID
rs_log=$LAB_LAST_LOG
# Ready once its packet socket is bound (one line per socket after the
# header of /proc/net/packet, which is per namespace).
ready=0
for _ in $(seq 100); do
    n=$(lab_x rx cat /proc/net/packet 2>/dev/null | wc -l)
    [ "$n" -gt 1 ] && { ready=1; break; }
    kill -0 "$rs_pid" 2>/dev/null || break
    sleep 0.1
done
[ "$ready" = 1 ] || { fail "ringscope did not start: $(cat "$rs_log")"; finish; }
sleep 0.5

rate=(--pps "$pps")
[ "$pps" = max ] && rate=(--topspeed)
lab_x tx tcpreplay -i eth0 "${rate[@]}" "${replay[@]}" > "$test_tmp/replay.out" 2>&1 ||
    fail "tcpreplay failed: $(tail -n 5 "$test_tmp/replay.out")"
sent=$(awk '/Actual:/ { print $2; exit }' "$test_tmp/replay.out")
failed=$(awk '/Failed packets:/ { print $3; exit }' "$test_tmp/replay.out")
# "Rated: 1234.5 Bps, 0.01 Mbps, 15000.00 pps"
got_pps=$(awk '/Rated:/ { print $(NF - 1); exit }' "$test_tmp/replay.out")
[ "$sent" = "$want_packets" ] && [ "$failed" = 0 ] &&
    pass "tcpreplay sent $sent packets at ${got_pps:-?} packets/s (asked: $pps)" ||
    fail "tcpreplay sent '$sent' of $want_packets packets, $failed failed"

# SIGINT stops reading at once, so first let ringscope work through what
# the kernel buffered: wait (at most 30 s) until it is idle, spending at
# most 2 clock ticks of CPU time in half a second.
cpu() {
    awk '{ print $14 + $15 }' "/proc/$rs_pid/stat" 2>/dev/null
}
sleep 0.5
prev=$(cpu)
for _ in $(seq 60); do
    sleep 0.5
    now=$(cpu)
    [ -n "$now" ] && [ -n "$prev" ] && [ $((now - prev)) -le 2 ] && break
    prev=$now
done
kill -INT "$rs_pid"
rc=0
wait "$rs_pid" || rc=$?
case $rc in
0 | 1) pass "ringscope stopped by SIGINT (status $rc)" ;;
*) fail "ringscope exit status $rc: $(cat "$rs_log")" ;;
esac

row=$(q "$live" "SELECT source, link_type, packets, drops, if_drops, interrupted, complete FROM captures")
[ "$row" = "eth0|EN10MB|$want_packets|0|0|1|1" ] &&
    pass "live capture: every packet, no drops ($row)" ||
    fail "live capture row '$row', expected 'eth0|EN10MB|$want_packets|0|0|1|1'"

q "$live" "SELECT $flow_cols FROM flows ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9" \
    > "$test_tmp/live.flows"
if cmp -s "$test_tmp/ref.flows" "$test_tmp/live.flows"; then
    pass "$(wc -l < "$test_tmp/live.flows") flows equal to reading the files"
else
    fail "live flows differ from the files' (< files, > live):"
    diff "$test_tmp/ref.flows" "$test_tmp/live.flows" | head -n 20
fi
finish
