#!/usr/bin/env bash
# Classification of the lab captures in pcaps/ (see pcaps/README.md): every
# flow gets the class and the evidence that SPEC section 3 and the README
# expect, the dns table pairs every query with its answer, and DNS
# failures for the profile's names become dns_failure findings.  A capture
# not in pcaps/ is reported and skipped.
. "$(dirname "$0")/../golden/lib.sh"

[ -n "$SQLITE3" ] || skip "sqlite3 not found"

db=
# analyse NAME: runs ringscope on pcaps/NAME.pcap into its own database
# (once; later calls reuse it); false when the capture is absent or the
# run failed.
analyse() {
    local pcap=$top_srcdir/pcaps/$1.pcap
    db=$test_tmp/$1.db
    [ -f "$db.ok" ] && return 0
    [ -f "$db.failed" ] && return 1
    if [ ! -f "$pcap" ]; then
        printf 'note: %s.pcap is not in pcaps/, not checked\n' "$1"
        return 1
    fi
    local rc=0
    "$RINGSCOPE" -q -r "$pcap" -w "$db" 2>"$test_tmp/err" || rc=$?
    # 1 only says that a requirement failed: the lab captures hold faults.
    if [ "$rc" -gt 1 ]; then
        fail "$1: ringscope failed ($rc): $(head -c 300 "$test_tmp/err")"
        : > "$db.failed"
        return 1
    fi
    if grep -Eq 'Sanitizer|runtime error' "$test_tmp/err"; then
        fail "$1: sanitizer report: $(head -c 300 "$test_tmp/err")"
    fi
    : > "$db.ok"
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

# flows NAME: compares the flows of NAME's database, grouped by protocol,
# server endpoint, class and evidence, with the table on stdin.
flows() {
    same "$1: classes" "$(cat)" "$(q "SELECT proto, server_ip, server_port,
        class, COALESCE(classified_by, '-'), count(*) FROM flows
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4")"
}

# Every capture: a class for every flow, and evidence for every class but
# "other".
for pcap in "$top_srcdir"/pcaps/*.pcap; do
    name=$(basename "$pcap" .pcap)
    analyse "$name" || continue
    same "$name: evidence iff classified" "0" \
        "$(q "SELECT count(*) FROM flows WHERE class IS NULL OR
              (class = 'other') != (classified_by IS NULL)")"
done

# --- web-signaling: SNI, HTTP Host, passive DNS, nDPI ------------------
if analyse web-signaling; then
    flows web-signaling <<'EOF'
6 199.7.173.10 80 provider-web http-host 1
6 199.7.173.10 443 provider-web sni 1
6 199.7.173.10 5222 provider-xmpp ndpi 1
6 199.7.173.10 5280 provider-web http-host 1
6 54.172.61.20 443 twilio-signaling sni 1
6 54.172.61.21 443 twilio-signaling sni 1
6 54.172.61.22 443 twilio-insights sni 1
17 198.51.100.53 53 dns ndpi 7
EOF
    # The signaling addresses are in a legacy media range and in the NTS
    # ranges: the names decide.  The XMPP flow learns its name from the
    # answer seen before it opened.
    same "web-signaling: hostnames" "$(cat <<'EOF'
199.7.173.10 80 lab-web.ring.io
199.7.173.10 443 lab-web.ring.io
199.7.173.10 5222 lab-xmpp.ring.io
199.7.173.10 5280 lab-xmpp.ring.io
54.172.61.20 443 chunderw-vpc-gll.twilio.com
54.172.61.21 443 voice-js.roaming.twilio.com
54.172.61.22 443 eventgw.twilio.com
EOF
)" "$(q "SELECT server_ip, server_port, hostname FROM flows
            WHERE proto = 6 ORDER BY 1, 2")"
    same "web-signaling: TLS handshakes" "$(cat <<'EOF'
199.7.173.10 80 - - -
199.7.173.10 443 TLS 1.3 1 -
199.7.173.10 5222 - - -
199.7.173.10 5280 - - -
54.172.61.20 443 TLS 1.3 1 -
54.172.61.21 443 TLS 1.3 1 -
54.172.61.22 443 TLS 1.3 1 -
EOF
)" "$(q "SELECT server_ip, server_port, COALESCE(tls_version, '-'),
            COALESCE(tls_established, '-'), COALESCE(tls_alert, '-')
            FROM flows WHERE proto = 6 ORDER BY 1, 2")"
    # Seven queries, each answered in the next frame.  libc's AAAA query
    # for lab-xmpp.ring.io is refused by the lab's resolver (tshark:
    # dns.flags.rcode 5).
    same "web-signaling: dns rows" "$(cat <<'EOF'
3 4 16384 chunderw-vpc-gll.twilio.com A NOERROR A 54.172.61.20 0
5 6 16385 voice-js.roaming.twilio.com A NOERROR A 54.172.61.21 0
7 8 16386 eventgw.twilio.com A NOERROR A 54.172.61.22 0
9 10 16387 lab-web.ring.io A NOERROR A 199.7.173.10 0
11 12 16388 lab-xmpp.ring.io A NOERROR A 199.7.173.10 0
119 120 21548 lab-xmpp.ring.io AAAA REFUSED - -
121 122 49891 lab-xmpp.ring.io A NOERROR A 199.7.173.10 0
EOF
)" "$(q "SELECT packet, response_packet, dns_id, query_name, query_type,
            rcode, COALESCE(answers, '-'), COALESCE(ttl_min, '-')
            FROM dns ORDER BY packet")"
    same "web-signaling: dns row addresses" \
        "192.168.1.10 198.51.100.53 udp 7" \
        "$(q "SELECT client_ip, server_ip, transport, count(*) FROM dns
              WHERE flow_id IN (SELECT id FROM flows) AND response_ms >= 0
              GROUP BY 1, 2, 3")"
    same "web-signaling: dns_failure" \
        "dns_failure error - 119 lab-xmpp.ring.io REFUSED" \
        "$(q "SELECT kind, severity, COALESCE(requirement, '-'),
              first_packet,
              CASE WHEN summary LIKE '%lab-xmpp.ring.io%'
                   THEN 'lab-xmpp.ring.io' END,
              CASE WHEN summary LIKE '%REFUSED%' THEN 'REFUSED' END
              FROM findings WHERE kind = 'dns_failure'")"
fi

# --- tcp-faults: blocked handshakes still get their class --------------
if analyse tcp-faults; then
    flows tcp-faults <<'EOF'
1 192.168.1.10 0 other - 1
6 199.7.172.10 5061 provider-sip range 1
6 199.7.173.10 80 provider-web http-host 1
6 199.7.173.10 5222 provider-xmpp port 1
6 199.7.173.10 5280 provider-web http-host 1
17 199.7.172.10 5060 provider-sip range 1
EOF
    same "tcp-faults: no DNS" "0" "$(q "SELECT count(*) FROM dns")"
fi

# --- span-duplicates: HTTP by Host, RTP to Twilio media by range -------
if analyse span-duplicates; then
    flows span-duplicates <<'EOF'
6 199.7.173.10 80 provider-web http-host 1
17 168.86.128.10 10000 twilio-media range 1
EOF
fi

# --- WebRTC media: current and legacy Twilio ranges --------------------
if analyse webrtc-media; then
    flows webrtc-media <<'EOF'
17 168.86.130.20 15000 twilio-media range 1
17 168.86.130.21 25000 twilio-media range 1
17 54.172.60.20 12000 twilio-media range 1
EOF
fi
if analyse webrtc-media-wan; then
    flows webrtc-media-wan <<'EOF'
17 168.86.130.20 15000 twilio-media range 1
17 54.172.60.20 12000 twilio-media range 1
EOF
fi

# --- SIP phones: the provider's ranges, to or from ---------------------
# On the WAN side the far end's RTP arrives first, so the provider is the
# flow's client and its range decides.
for name in sip-plain-nat rtp-loss-qos rtp-one-way sip-alg; do
    lan_icmp=192.168.1.10
    [ "$name" = rtp-loss-qos ] && lan_icmp=199.7.172.20
    if analyse "$name-lan"; then
        flows "$name-lan" <<EOF
1 $lan_icmp 0 other - 1
17 199.7.172.10 5060 provider-sip range 1
17 199.7.172.20 30000 provider-media range 1
17 199.7.172.20 30001 provider-media range 1
EOF
    fi
    wan_icmp=203.0.113.2
    [ "$name" = rtp-loss-qos ] && wan_icmp=199.7.172.20
    if analyse "$name-wan"; then
        flows "$name-wan" <<EOF
1 $wan_icmp 0 other - 1
17 199.7.172.10 5060 provider-sip range 1
17 203.0.113.2 16384 provider-media range 1
17 203.0.113.2 16385 provider-media range 1
EOF
    fi
done
for side in lan wan; do
    if analyse "sip-no-response-$side"; then
        flows "sip-no-response-$side" <<'EOF'
17 199.7.172.10 5060 provider-sip range 1
EOF
    fi
done

# --- double NAT: third-party STUN is "stun" ----------------------------
if analyse sip-double-nat-lan; then
    flows sip-double-nat-lan <<'EOF'
1 192.168.1.10 0 other - 4
1 199.7.172.20 0 other - 1
17 100.64.0.10 3478 stun ndpi 1
17 198.51.100.34 3478 stun ndpi 1
17 199.7.172.10 5060 provider-sip range 1
17 199.7.172.10 33434 provider-media range 1
17 199.7.172.10 33435 provider-media range 1
17 199.7.172.10 33436 provider-media range 1
17 199.7.172.10 33437 provider-media range 1
17 199.7.172.20 30000 provider-media range 1
17 199.7.172.20 30001 provider-media range 1
EOF
fi
if analyse sip-double-nat-wan; then
    flows sip-double-nat-wan <<'EOF'
1 199.7.172.20 0 other - 1
1 203.0.113.2 0 other - 2
17 198.51.100.34 3478 stun ndpi 1
17 199.7.172.10 5060 provider-sip range 1
17 199.7.172.10 33436 provider-media range 1
17 199.7.172.10 33437 provider-media range 1
17 203.0.113.2 16384 provider-media range 1
17 203.0.113.2 16385 provider-media range 1
EOF
fi

finish
