#!/usr/bin/env bash
# The report queries in sql/reports/ run with the stock sqlite3 shell on
# a database of four lab captures from two sensors, and print the
# reviewed outputs in tests/sql_reports/NAME.out.  Each report is also
# checked against a computation that does not use it: tshark on the
# capture, or a direct query.  SQL_REPORTS_UPDATE=1 rewrites the
# expected outputs (review the diff like code).
. "$(dirname "$0")/../golden/lib.sh"

[ -n "$SQLITE3" ] || skip "sqlite3 not installed"
[ -n "$TSHARK" ] || skip "tshark not installed"

reports=$top_srcdir/sql/reports
expected=$top_srcdir/tests/sql_reports
pcaps=$top_srcdir/pcaps
db=$test_tmp/reports.db

"$RINGSCOPE" -q -w "$db" --sensor branch-a \
    -r "$pcaps/tcp-faults.pcap" -r "$pcaps/web-signaling.pcap"
[ $? -le 1 ] || fail "ringscope on branch-a captures"
"$RINGSCOPE" -q -w "$db" --sensor branch-b \
    -r "$pcaps/rtp-one-way-lan.pcap" -r "$pcaps/sip-alg-lan.pcap"
[ $? -le 1 ] || fail "ringscope on branch-b captures"

run_report() {
    "$SQLITE3" -header -column "$1" < "$reports/$2.sql"
}

names="compliance_summary failing_flows one_way_calls
       retransmission_hot_spots top_talkers_by_class dns_failures
       timeline_per_minute"
for name in $names; do
    if ! run_report "$db" "$name" > "$test_tmp/$name.out" \
        2> "$test_tmp/$name.err" || [ -s "$test_tmp/$name.err" ]; then
        fail "$name: $(cat "$test_tmp/$name.err")"
        continue
    fi
    if [ "${SQL_REPORTS_UPDATE:-0}" = 1 ]; then
        cp "$test_tmp/$name.out" "$expected/$name.out"
    fi
    if diff -u "$expected/$name.out" "$test_tmp/$name.out"; then
        pass "$name output"
    else
        fail "$name output differs from tests/sql_reports/$name.out"
    fi
    # The same report through the shell's .read.
    "$SQLITE3" -header -column "$db" ".read $reports/$name.sql" \
        > "$test_tmp/$name.read" 2>&1
    cmp -s "$test_tmp/$name.read" "$test_tmp/$name.out" \
        && pass "$name through .read" || fail "$name through .read"
done

# One column of a report as a list: report NAME, column header COL.
column_of() {
    "$SQLITE3" -header -separator '|' "$db" < "$reports/$1.sql" |
        awk -F'|' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++)
                                             if ($i == col) c = i; next }
                               { print $c }'
}
q() { "$SQLITE3" "$db" "$1"; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }
tshark_count() {
    "$TSHARK" -r "$pcaps/$1" -Y "$2" -T fields -e frame.number 2>/dev/null |
        wc -l | tr -d ' '
}
tshark_bytes() {
    "$TSHARK" -r "$pcaps/$1" -Y "$2" -T fields -e frame.len 2>/dev/null | sum
}
same() {
    [ "$2" = "$3" ] && pass "$1: $2" || fail "$1: report $2, independent $3"
}

# compliance_summary: its counts are those of the requirements table.
counts=
for col in pass fail not_observed; do
    counts="${counts:+$counts/}$(column_of compliance_summary $col | sum)"
done
same "compliance_summary verdicts" "$counts" \
    "$(q "SELECT SUM(verdict='PASS') || '/' || SUM(verdict='FAIL') || '/' ||
             SUM(verdict='NOT_OBSERVED') FROM requirements")"

# failing_flows: one row per flow that a finding names.
same "failing_flows rows" \
    "$(column_of failing_flows flow | wc -l | tr -d ' ')" \
    "$(q "SELECT COUNT(DISTINCT flow_id) FROM findings
          WHERE flow_id IS NOT NULL")"

# one_way_calls: the phone's RTP to the silent far end, as tshark counts it.
same "one_way_calls RTP from the caller" \
    "$(column_of one_way_calls rtp_from_caller)" \
    "$(tshark_count rtp-one-way-lan.pcap \
        'udp.srcport == 16384 && udp.dstport == 30000')"

# retransmission_hot_spots: Wireshark's retransmission flags in tcp-faults.
same "retransmission_hot_spots tcp-faults total" \
    "$(column_of retransmission_hot_spots retrans | sum)" \
    "$(tshark_count tcp-faults.pcap 'tcp.analysis.retransmission ||
        tcp.analysis.fast_retransmission ||
        tcp.analysis.spurious_retransmission')"

# top_talkers_by_class: provider-web's bytes with 199.7.173.10 (ports 80,
# 443 and 5280) as tshark sums the frames.
# talker_bytes FILE CLASS: the bytes column of the class's first row.
talker_bytes() {
    "$SQLITE3" -separator ' ' "$db" < "$reports/top_talkers_by_class.sql" |
        awk -v f="$1" -v c="$2" '$3 == f && $4 == c && $5 == 1 { print $9 }'
}
web='ip.addr == 199.7.173.10 && (tcp.port == 80 || tcp.port == 5280'
same "top_talkers provider-web (web-signaling)" \
    "$(talker_bytes web-signaling.pcap provider-web)" \
    "$(tshark_bytes web-signaling.pcap "$web || tcp.port == 443)")"
same "top_talkers provider-web (tcp-faults)" \
    "$(talker_bytes tcp-faults.pcap provider-web)" \
    "$(tshark_bytes tcp-faults.pcap "$web)")"

# dns_failures: error responses as tshark sees them (no timeouts here).
same "dns_failures queries" "$(column_of dns_failures queries | sum)" \
    "$(tshark_count web-signaling.pcap \
        'dns.flags.response == 1 && dns.flags.rcode != 0')"

# timeline_per_minute: every flow and every timed finding once.
same "timeline flows" "$(column_of timeline_per_minute flows | sum)" \
    "$(q "SELECT COUNT(*) FROM flows")"
same "timeline findings" "$(column_of timeline_per_minute findings | sum)" \
    "$(q "SELECT COUNT(*) FROM findings WHERE ts IS NOT NULL")"

# The two sensors' databases written apart and merged give the same
# reports as the shared database.
"$RINGSCOPE" -q -w "$test_tmp/a.db" --sensor branch-a \
    -r "$pcaps/tcp-faults.pcap" -r "$pcaps/web-signaling.pcap"
"$RINGSCOPE" -q -w "$test_tmp/b.db" --sensor branch-b \
    -r "$pcaps/rtp-one-way-lan.pcap" -r "$pcaps/sip-alg-lan.pcap"
if "$RINGSCOPE" merge "$test_tmp/merged.db" "$test_tmp/a.db" \
    "$test_tmp/b.db" > /dev/null; then
    for name in $names; do
        run_report "$test_tmp/merged.db" "$name" > "$test_tmp/merged.out" \
            2>&1
        cmp -s "$test_tmp/merged.out" "$test_tmp/$name.out" \
            && pass "$name on a merged database" \
            || fail "$name differs on a merged database"
    done
else
    fail "ringscope merge failed"
fi

# Every report also runs on a database without --sensor.
"$RINGSCOPE" -q -w "$test_tmp/plain.db" -r "$pcaps/web-signaling.pcap"
for name in $names; do
    if run_report "$test_tmp/plain.db" "$name" > /dev/null \
        2> "$test_tmp/err" && [ ! -s "$test_tmp/err" ]; then
        pass "$name on a database without sensor"
    else
        fail "$name on a database without sensor: $(cat "$test_tmp/err")"
    fi
done
finish
