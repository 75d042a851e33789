#!/usr/bin/env bash
# The media stage on the lab captures (pcaps/README.md says what each one
# shows and what must be found): one-way media, loss, QoS, Twilio media
# ports outside the customer document, STUN and CGNAT, and lookalikes that
# must stay quiet.
. "$(dirname "$0")/../golden/lib.sh"

[ -n "$SQLITE3" ] && [ -x "$SQLITE3" ] || skip "sqlite3 not installed"
captures="rtp-one-way-lan rtp-one-way-wan rtp-loss-qos-lan rtp-loss-qos-wan
webrtc-media webrtc-media-wan sip-double-nat-lan sip-double-nat-wan
sip-plain-nat-lan sip-plain-nat-wan span-duplicates"
for c in $captures; do
    [ -f "$top_srcdir/pcaps/$c.pcap" ] || skip "pcaps/$c.pcap is missing"
done

for c in $captures; do
    rc=0
    "$RINGSCOPE" -q -r "$top_srcdir/pcaps/$c.pcap" -w "$test_tmp/$c.db" \
        2> "$test_tmp/$c.err" || rc=$?
    [ "$rc" -le 1 ] || fail "$c: ringscope failed: $(cat "$test_tmp/$c.err")"
done

# expect CAPTURE WHAT SQL VALUE: the query's single result is VALUE.
expect() {
    local got
    got=$("$SQLITE3" "$test_tmp/$1.db" "$3" 2>&1)
    if [ "$got" = "$4" ]; then
        pass "$1: $2"
    else
        fail "$1: $2: expected '$4', got '$got'"
    fi
}

count_kind() {
    printf "SELECT count(*) FROM findings WHERE kind = '%s'" "$1"
}

# One-way: on the LAN the inbound direction is silent; on the WAN both
# directions are there.
expect rtp-one-way-lan "one_way_media names the silent inbound direction" \
    "SELECT severity || ' ' || requirement FROM findings
     WHERE kind = 'one_way_media'
       AND summary LIKE '%none from 199.7.172.20:30000 to 192.168.1.10:16384%'
       AND summary LIKE '%inbound direction silent%'" "error RIO-PHONE-UDP"
expect rtp-one-way-lan "judged per call" \
    "SELECT count(*) FROM findings f JOIN calls c
     ON f.summary LIKE 'one-way media in call ' || c.call_id || ':%'" 1
expect rtp-one-way-lan "one RTP stream, outbound" \
    "SELECT count(*) || ' ' || min(direction) || ' ' || min(src_ip)
     FROM rtp_streams" "1 c2s 192.168.1.10"
expect rtp-one-way-wan "no one-way media outside the NAT" \
    "$(count_kind one_way_media)" 0
expect rtp-one-way-wan "both streams" "SELECT count(*) FROM rtp_streams" 2

# Loss and QoS: 12 inbound packets dropped before the LAN capture point,
# outbound RTP unmarked.
expect rtp-loss-qos-lan "inbound stream lost 12 of 252" \
    "SELECT packets || ' ' || lost || ' ' || dscp FROM rtp_streams
     WHERE src_ip = '199.7.172.20'" "240 12 46"
expect rtp-loss-qos-lan "loss lowers the MOS" \
    "SELECT (SELECT mos FROM rtp_streams WHERE src_ip = '199.7.172.20') <
            (SELECT mos FROM rtp_streams WHERE src_ip = '192.168.1.10')" 1
expect rtp-loss-qos-lan "qos_unmarked on the outbound RTP" \
    "SELECT severity || ' ' || requirement FROM findings
     WHERE kind = 'qos_unmarked'
       AND summary LIKE 'outbound RTP from 192.168.1.10:16384 %'" \
    "warning RIO-PHONE-QOS"
expect rtp-loss-qos-lan "SIP (CS3) and inbound RTP (EF) are not flagged" \
    "$(count_kind qos_unmarked)" 1
expect rtp-loss-qos-lan "no one-way media" "$(count_kind one_way_media)" 0
expect rtp-loss-qos-wan "no loss outside" \
    "SELECT sum(lost) FROM rtp_streams" 0
expect rtp-loss-qos-wan "qos_unmarked on the outbound RTP" \
    "SELECT count(*) FROM findings WHERE kind = 'qos_unmarked'
       AND summary LIKE 'outbound RTP from 203.0.113.2:16384 %'" 1

# WebRTC: session 3 goes to port 25000 and is dropped by a firewall that
# follows the document; sessions 1 (port 15000) and 2 (legacy range) are
# within it.
expect webrtc-media "media_port_outside_document on the unanswered flow" \
    "SELECT severity || ' ' || requirement || ' ' || first_packet
     FROM findings WHERE kind = 'media_port_outside_document'
       AND summary LIKE 'media to 168.86.130.21:25000:%10000-20000%no reply%'" \
    "error WEB-MEDIA-NOW 1027"
expect webrtc-media "only that flow" \
    "$(count_kind media_port_outside_document)" 1
expect webrtc-media "four streams, both ways of sessions 1 and 2" \
    "SELECT group_concat(packets, ',') FROM
     (SELECT packets FROM rtp_streams ORDER BY first_ts)" "250,255,250,255"
expect webrtc-media "unmarked media against WEB-QOS, once per session" \
    "SELECT count(*) FROM findings
     WHERE kind = 'qos_unmarked' AND requirement = 'WEB-QOS'" 2
expect webrtc-media "STUN mapped address is the router's public one" \
    "SELECT group_concat(DISTINCT mapped_ip || ' ' || address_kind)
     FROM stun_mappings" "203.0.113.2 public"
expect webrtc-media "no double NAT, no one-way media" \
    "SELECT count(*) FROM findings
     WHERE kind IN ('double_nat', 'cgnat', 'one_way_media')" 0
expect webrtc-media-wan "no port finding when session 3 never left" \
    "$(count_kind media_port_outside_document)" 0

# Double NAT: the carrier's STUN server maps the phone into 100.64.0.0/10.
expect sip-double-nat-lan "cgnat from the STUN response in frame 12" \
    "SELECT severity || ' ' || requirement FROM findings
     WHERE kind = 'cgnat' AND first_packet = 12
       AND summary LIKE '%as 100.64.10.2:%'" "error RIO-PHONE-NAT1"
expect sip-double-nat-lan "both reflexive addresses recorded" \
    "SELECT group_concat(mapped_ip || ' ' || address_kind || ' ' ||
                         translated, ', ')
     FROM (SELECT * FROM stun_mappings ORDER BY packet)" \
    "100.64.10.2 cgnat 1, 203.0.113.2 public 1"
expect sip-double-nat-lan "clean call: no one-way, no QoS finding" \
    "SELECT count(*) FROM findings
     WHERE kind IN ('one_way_media', 'qos_unmarked', 'media_nat_mismatch')" 0
expect sip-double-nat-wan "the outside cannot see the inner NAT" \
    "SELECT count(*) FROM stun_mappings WHERE address_kind <> 'public'" 0

# A clean call through one NAT, seen from both sides.
for c in sip-plain-nat-lan sip-plain-nat-wan; do
    expect "$c" "no media finding" \
        "SELECT count(*) FROM findings WHERE kind IN ('one_way_media',
            'qos_unmarked', 'media_nat_mismatch', 'udp_timeout_short',
            'media_port_outside_document')" 0
    expect "$c" "two streams, no loss" \
        "SELECT count(*) || ' ' || sum(lost) FROM rtp_streams" "2 0"
    expect "$c" "both streams tied to the SIP call by its SDP" \
        "SELECT count(*) FROM rtp_streams r JOIN calls c
         ON c.call_id = r.call_id AND c.capture_id = r.capture_id" 2
done

# Span-port duplicates: tshark's figures count every copy (lost -50); the
# RFC 3550 ones count the copies as duplicates, not loss (cumulative lost
# is negative, RFC 3550 6.4.1).  The copy of the first packet arrives
# during A.1 probation, which restarts rather than counts it: 49.
expect span-duplicates "duplicates told apart from loss" \
    "SELECT group_concat(packets || ' ' || lost || ' ' || duplicates || ' '
                         || rfc_lost, ', ')
     FROM (SELECT * FROM rtp_streams ORDER BY src_port)" \
    "100 -50 49 -49, 100 -50 49 -49"
expect span-duplicates "no one-way media" "$(count_kind one_way_media)" 0
finish
