#!/usr/bin/env bash
# The interactive interface on a live interface: ringscope -i mon0 --tui -w
# DB runs under tmux in one network namespace while a SIP call with RTP
# (the lab capture sip-plain-nat-lan.pcap) is replayed at a fixed, modest
# rate into the other end of a veth pair from a second namespace.  The
# Flows screen must show the call's flows with their classes and ports,
# the header a packet rate while packets arrive and no kernel drops; q
# must end the run cleanly, with the flows and a zero drop count in the
# database.  Needs root, ip netns, tmux and tcpreplay; skips otherwise.
. "$(dirname "$0")/../golden/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "live capture in network namespaces needs root"
for c in ip tmux tcpreplay; do
    command -v "$c" > /dev/null || skip "'$c' is not installed"
done
[ -n "$SQLITE3" ] || skip "sqlite3 shell not found"
rc=0
"$RINGSCOPE" -r "$top_srcdir/pcaps/tcp-faults.pcap" --no-db --tui \
    < /dev/null > /dev/null 2> "$test_tmp/notty.err" || rc=$?
grep -q 'built without' "$test_tmp/notty.err" &&
    skip "built without the terminal interface"

# The lab library creates the namespaces (skipping when they cannot be
# made) and deletes them, and everything started in them, at exit.
. "$top_srcdir/tests/lab/lib.sh"
lab_require_root
sock=ringscope-live-$$
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; lab_cleanup; rm -rf "$test_tmp"' EXIT

pcap=$top_srcdir/pcaps/sip-plain-nat-lan.pcap
db=$test_tmp/live.db
# What the live run must find: what the same frames give read from the
# file.
flow_sql="SELECT class, proto, client_port, server_port, c2s_packets, s2c_packets FROM flows ORDER BY server_port, client_port"
"$RINGSCOPE" -q -r "$pcap" -w "$test_tmp/file.db" > /dev/null 2>&1
want_pkts=$("$SQLITE3" "$test_tmp/file.db" "SELECT packets FROM captures")
want_flows=$("$SQLITE3" "$test_tmp/file.db" "$flow_sql")
[ -n "$want_pkts" ] && [ -n "$want_flows" ] ||
    { fail "cannot analyse $pcap"; finish; }
# No addresses: nothing in the lab sends frames of its own, so the
# capture holds exactly the replayed ones.
lab_ns feed
lab_ns mon
lab_link feed feed0 - mon mon0 -

tm new-session -d -s live -x 160 -y 40 \
    "ip netns exec '$(lab_nsname mon)' '$RINGSCOPE' -i mon0 --tui -w '$db' 2> '$test_tmp/tui.err'; echo \$? > '$test_tmp/tui.rc'"

screen() { tm capture-pane -p -t live 2>/dev/null; }

# wait_for TEXT [SECS]: until the screen shows TEXT (fixed string).
wait_for() {
    local i
    for ((i = 0; i < ${2:-10} * 10; i++)); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

show_screen() {
    screen | sed 's/^/    | /'
}

if ! wait_for " mon0  live " 10; then
    fail "the interface did not start on mon0: $(head -c 300 "$test_tmp/tui.err")"
    show_screen
    finish
fi
pass "the interface runs live on mon0"

# 525 frames at 150 per second: about 3.5 s.
lab_x feed tcpreplay -q -i feed0 --pps=150 "$pcap" \
    > "$test_tmp/replay.log" 2>&1 &
replay=$!
# While the frames arrive, the header shows a packet rate above zero
# (the rate is measured over about a second of wall time).
rate=
while kill -0 "$replay" 2> /dev/null; do
    rate=$(screen | sed -n 's/.* pkts \([0-9.]*\)\/s .*/\1/p' | head -n 1)
    case $rate in
    "" | 0 | 0.0) ;;
    *) break ;;
    esac
    sleep 0.2
done
wait "$replay" || fail "tcpreplay failed: $(cat "$test_tmp/replay.log")"
case $rate in
"" | 0 | 0.0) fail "no packet rate shown while packets arrived" ;;
*) pass "packet rate shown live: $rate/s" ;;
esac

# Every frame counted, the call's flows shown with their classes, and
# no drops.
for t in " $want_pkts pkts " "drops 0" \
    "provider-sip     192.168.1.10:5060     199.7.172.10:5060" \
    "provider-media   192.168.1.10:16384    199.7.172.20:30000" \
    "provider-media   192.168.1.10:16385    199.7.172.20:30001"; do
    if ! wait_for "$t" 5; then
        fail "the live Flows screen lacks '$t':"
        show_screen
        break
    fi
    pass "the live screen shows '$t'"
done

tm send-keys -t live q
for i in $(seq 100); do
    [ -s "$test_tmp/tui.rc" ] && break
    sleep 0.1
done
rc=$(cat "$test_tmp/tui.rc" 2> /dev/null || echo none)
case $rc in
0 | 1) pass "q ends the live run cleanly (status $rc)" ;;
*) fail "after q: status $rc: $(head -c 300 "$test_tmp/tui.err" 2> /dev/null)" ;;
esac
if [ -s "$test_tmp/tui.err" ]; then
    fail "messages on standard error: $(head -c 300 "$test_tmp/tui.err")"
fi

row=$("$SQLITE3" "$db" "SELECT source, packets, drops, if_drops, complete FROM captures" 2>&1)
if [ "$row" = "mon0|$want_pkts|0|0|1" ]; then
    pass "capture row: $row"
else
    fail "capture row: '$row', expected 'mon0|$want_pkts|0|0|1'"
fi
flows=$("$SQLITE3" "$db" "$flow_sql" 2>&1)
if [ "$flows" = "$want_flows" ]; then
    pass "the database has the flows the file gives: $(printf '%s' "$flows" | tr '\n' ' ')"
else
    fail "flows in the database differ from the file's:"
    diff <(printf '%s\n' "$want_flows") <(printf '%s\n' "$flows") | head -n 20
fi
# The database written live shows again on a terminal-less report.
"$RINGSCOPE" report "$db" --tui --batch 1 > "$test_tmp/report.out" 2>&1
if grep -q '^ ringscope  mon0  done .* drops 0$' "$test_tmp/report.out" &&
    grep -qF "provider-sip     192.168.1.10:5060     199.7.172.10:5060" \
        "$test_tmp/report.out"; then
    pass "report DB --tui --batch 1 shows the live capture"
else
    fail "report DB --tui --batch 1 on the live database: $(head -n 8 "$test_tmp/report.out")"
fi
finish
