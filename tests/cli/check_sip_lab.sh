#!/usr/bin/env bash
# The SIP stage and `ringscope diff` on the SIP lab captures in pcaps/
# (see pcaps/README.md): plain NAT gives no NAT or ALG finding on either
# side, the SIP ALG gives sip_alg_suspected on the LAN side and a diff
# that lists exactly the headers the kernel's helper rewrites, the
# blocked responses give sip_no_response, and sip_messages agrees with
# tshark on frames and retransmissions.  A capture not in pcaps/ is
# reported and its checks skipped; with none of them the test is skipped.
. "$(dirname "$0")/../golden/lib.sh"

[ -n "$SQLITE3" ] || skip "sqlite3 not found"

captures="sip-plain-nat-lan sip-plain-nat-wan sip-alg-lan sip-alg-wan
sip-no-response-lan sip-no-response-wan sip-double-nat-lan sip-double-nat-wan"
present=0
for c in $captures; do
    [ -f "$top_srcdir/pcaps/$c.pcap" ] && present=$((present + 1))
done
[ "$present" -gt 0 ] || skip "no SIP lab capture in pcaps/"

db=
# analyse NAME: ringscope on pcaps/NAME.pcap into its own database; false
# when the capture is absent or the run failed.
analyse() {
    local pcap=$top_srcdir/pcaps/$1.pcap rc=0
    db=$test_tmp/$1.db
    if [ ! -f "$pcap" ]; then
        printf 'note: %s.pcap is not in pcaps/, not checked\n' "$1"
        return 1
    fi
    [ -f "$db" ] && return 0
    "$RINGSCOPE" -q -r "$pcap" -w "$db" 2>"$test_tmp/err" || rc=$?
    # 1 only says that a requirement failed: some captures hold faults.
    if [ "$rc" -gt 1 ]; then
        fail "$1: ringscope failed ($rc): $(head -c 300 "$test_tmp/err")"
        rm -f "$db"
        return 1
    fi
    if grep -Eq 'Sanitizer|runtime error' "$test_tmp/err"; then
        fail "$1: sanitizer report: $(head -c 300 "$test_tmp/err")"
    fi
    return 0
}

q() {
    "$SQLITE3" -separator ' ' "$db" "$1"
}

# same NAME EXPECTED ACTUAL
same() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1"
        printf '  expected:\n%s\n  got:\n%s\n' "$2" "$3"
    fi
}

# like NAME PATTERN ACTUAL: ACTUAL matches the extended regex PATTERN.
like() {
    if printf '%s\n' "$3" | grep -Eq -- "$2"; then
        pass "$1"
    else
        fail "$1"
        printf '  pattern: %s\n  got: %s\n' "$2" "$3"
    fi
}

nat_kinds="'sip_alg_suspected','nat_rewrite','double_nat','cgnat'"
sip_kinds="'sip_no_response','sip_2xx_no_ack','sip_retransmissions'"

# diff_run INSIDE OUTSIDE: the diff's output in $test_tmp/diff, its exit
# status in $diff_rc; false when a capture is absent.
diff_rc=
diff_run() {
    local in=$top_srcdir/pcaps/$1.pcap out=$top_srcdir/pcaps/$2.pcap
    [ -f "$in" ] && [ -f "$out" ] || {
        printf 'note: %s or %s is not in pcaps/, diff not checked\n' "$1" "$2"
        return 1
    }
    diff_rc=0
    "$RINGSCOPE" diff "$in" "$out" >"$test_tmp/diff" 2>"$test_tmp/err" ||
        diff_rc=$?
    return 0
}

# --- agreement with tshark: the frames that carry SIP, and sip.resend ---
for c in $captures; do
    analyse "$c" || continue
    [ -n "$TSHARK" ] || { printf 'note: tshark not found\n'; break; }
    same "$c: SIP frames as tshark" \
        "$("$TSHARK" -r "$top_srcdir/pcaps/$c.pcap" -Y sip -T fields \
            -e frame.number 2>/dev/null | tr '\n' ' ')" \
        "$(q 'SELECT packet FROM sip_messages ORDER BY packet' | tr '\n' ' ')"
    same "$c: retransmissions as tshark's sip.resend" \
        "$("$TSHARK" -r "$top_srcdir/pcaps/$c.pcap" -Y 'sip.resend == 1' \
            -T fields -e frame.number 2>/dev/null | tr '\n' ' ')" \
        "$(q 'SELECT packet FROM sip_messages WHERE retransmission = 1
              ORDER BY packet' | tr '\n' ' ')"
done

# --- plain NAT: records and a call, and no NAT, ALG or SIP finding ------
for c in sip-plain-nat-lan sip-plain-nat-wan; do
    analyse "$c" || continue
    same "$c: no NAT, ALG or SIP finding" "0" \
        "$(q "SELECT count(*) FROM findings
              WHERE kind IN ($nat_kinds, $sip_kinds)")"
    same "$c: 14 messages, none malformed" "14 0" \
        "$(q 'SELECT count(*), count(malformed) FROM sip_messages')"
    same "$c: INVITE SDP keeps the phone's address" \
        "192.168.1.10 192.168.1.10 audio 16384 RTP/AVP 0 8 101" \
        "$(q "SELECT DISTINCT sdp_o, sdp_c, sdp_m FROM sip_messages
              WHERE method = 'INVITE'")"
    same "$c: responses carry the router's public received=" \
        "203.0.113.2 5060" \
        "$(q 'SELECT DISTINCT via_received, via_rport FROM sip_messages
              WHERE status IS NOT NULL')"
    like "$c: one call, ended after about 5 s" \
        '^ended 200 [0-9.]+ 5\.[0-9]+$' \
        "$(q 'SELECT state, final_status, setup_ms, duration_s FROM calls')"
done

# --- SIP ALG ------------------------------------------------------------
if analyse sip-alg-lan; then
    same "sip-alg-lan: one sip_alg_suspected, RIO-PHONE-ALG, error" \
        "error RIO-PHONE-ALG" \
        "$(q "SELECT severity, requirement FROM findings
              WHERE kind = 'sip_alg_suspected'")"
    same "sip-alg-lan: it names the first response (A1)" \
        "$(q 'SELECT min(packet) FROM sip_messages WHERE status IS NOT NULL')" \
        "$(q "SELECT first_packet FROM findings
              WHERE kind = 'sip_alg_suspected'")"
    like "sip-alg-lan: the summary gives header, value and reason" \
        '^Via received=192\.168\.1\.10 in 401 Unauthorized \(CSeq [0-9]+ REGISTER\) from public 199\.7\.172\.10 \(frame [0-9]+; 7 messages of this flow show it\): the server can only have seen the router.s public address' \
        "$(q "SELECT summary FROM findings WHERE kind = 'sip_alg_suspected'")"
    same "sip-alg-lan: no other NAT or SIP finding" "0" \
        "$(q "SELECT count(*) FROM findings WHERE kind IN ($sip_kinds,
              'nat_rewrite', 'double_nat', 'cgnat')")"
fi
# On the WAN side the helper rewrote consistently: nothing private is
# left, so one capture there cannot tell it from a phone with a public
# address.
if analyse sip-alg-wan; then
    same "sip-alg-wan: a consistent ALG gives no finding on its own" "0" \
        "$(q "SELECT count(*) FROM findings
              WHERE kind IN ($nat_kinds, $sip_kinds)")"
fi
if diff_run sip-alg-lan sip-alg-wan; then
    same "diff sip-alg: exit status 1" "1" "$diff_rc"
    same "diff sip-alg: exactly the headers the helper rewrites" \
        "rewritten: Via sent-by, Contact, Via received, Content-Length, SDP o=, SDP c=" \
        "$(grep '^rewritten:' "$test_tmp/diff")"
    same "diff sip-alg: every message matched and rewritten" \
        "summary: 14 matched (0 unchanged, 0 plain NAT, 14 SIP ALG rewriting); 0 dropped on the way out, 0 dropped on the way in, 0 only inside, 0 only outside, 0 outside the other capture's time span" \
        "$(grep '^summary:' "$test_tmp/diff")"
    same "diff sip-alg: INVITE Content-Length 348 -> 346" \
        "    Content-Length         348 -> 346" \
        "$(grep -m1 'Content-Length' "$test_tmp/diff")"
    same "diff sip-alg: From, To, Call-ID and m= untouched" "" \
        "$(grep -E '^    (From|To|Call-ID|SDP m=)' "$test_tmp/diff")"
fi
if diff_run sip-plain-nat-lan sip-plain-nat-wan; then
    same "diff sip-plain-nat: exit status 0" "0" "$diff_rc"
    same "diff sip-plain-nat: only IP/UDP addresses changed" \
        "verdict: plain NAT" "$(grep '^verdict:' "$test_tmp/diff")"
    same "diff sip-plain-nat: no SIP header listed" "" \
        "$(grep -E '^    ' "$test_tmp/diff" |
           grep -Ev '^    (source|destination|verdict: plain NAT)')"
fi

# --- no response --------------------------------------------------------
if analyse sip-no-response-lan; then
    same "sip-no-response-lan: REGISTER and INVITE unanswered" \
        "REGISTER to 199.7.172.10:5060 sent 11 times over 31.5 s
INVITE to 199.7.172.10:5060 sent 7 times over 31.5 s" \
        "$(q "SELECT summary FROM findings WHERE kind = 'sip_no_response'
              ORDER BY first_packet" |
           sed -E 's/ \(from [^)]*\)//; s/, no response.*//')"
    same "sip-no-response-lan: error severity, first copies" "error 3
error 5" \
        "$(q "SELECT severity, first_packet FROM findings
              WHERE kind = 'sip_no_response' ORDER BY first_packet")"
    same "sip-no-response-lan: no sip_retransmissions besides" "0" \
        "$(q "SELECT count(*) FROM findings
              WHERE kind = 'sip_retransmissions'")"
fi
if analyse sip-no-response-wan; then
    same "sip-no-response-wan: answered, so no sip_no_response" "0" \
        "$(q "SELECT count(*) FROM findings WHERE kind = 'sip_no_response'")"
    same "sip-no-response-wan: retransmitted although answered here" "2" \
        "$(q "SELECT count(*) FROM findings
              WHERE kind = 'sip_retransmissions'
                AND summary LIKE '%answers passed this capture point%'")"
fi
if diff_run sip-no-response-lan sip-no-response-wan; then
    same "diff sip-no-response: the router dropped all 18 responses" \
        "verdict: plain NAT; 18 messages dropped by the router" \
        "$(grep '^verdict:' "$test_tmp/diff")"
fi

# --- double NAT: the SIP shows no sign of the second NAT ---------------
for c in sip-double-nat-lan sip-double-nat-wan; do
    analyse "$c" || continue
    same "$c: no ALG or SIP finding" "0" \
        "$(q "SELECT count(*) FROM findings
              WHERE kind IN ('sip_alg_suspected', $sip_kinds)")"
done
finish
