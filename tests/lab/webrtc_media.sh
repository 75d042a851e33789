#!/bin/bash
# tests/lab/webrtc_media.sh: WebRTC-style media to Twilio's current and
# legacy media ranges, one port of which the router blocks.
#
# Usage: webrtc_media.sh [OUTDIR]   (writes OUTDIR/webrtc-media.pcap, the
#                                     router's LAN side, and
#                                     OUTDIR/webrtc-media-wan.pcap)
#
# Three media sessions from the phone, one after the other, each on its
# own 5-tuple (media_peers.py; no browser): an ICE connectivity check
# (STUN Binding with USERNAME, PRIORITY, ICE-CONTROLLING,
# MESSAGE-INTEGRITY, FINGERPRINT), then 5 s of PCMU RTP each way with a
# consent check every 2 s.  The server's answers carry XOR-MAPPED-ADDRESS
# 203.0.113.2, the router's public address.
#   1. 192.168.1.10:50000 -> 168.86.130.20:15000 (current range
#      168.86.128.0/18, port allowed by the document's 10000-20000 too)
#   2. 192.168.1.10:50002 -> 54.172.60.20:12000 (legacy us1 range)
#   3. 192.168.1.10:50004 -> 168.86.130.21:25000 (current range, above
#      20000): the router's outbound rule follows the customer document
#      (UDP to Twilio media only on 10000-20000) and drops it, so the
#      check is retransmitted (0, 0.5, 1.5, 3.5 s) and never answered, and
#      no media follows.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
. "$here/lib_sip.sh"
lab_require_root
lab_require_cmd tshark "$LAB_PY"

NOW=168.86.130.20
LEGACY=54.172.60.20
HIGH=168.86.130.21

lab_home
for a in $NOW $LEGACY $HIGH; do
    lab_addr inet lo "$a/32"
done
lab_fault router -i lan0 -p udp -d 168.86.128.0/18 --dport 20001:65535 \
    -j DROP

mkdir -p "$out"
lan=$out/webrtc-media.pcap
wan=$out/webrtc-media-wan.pcap
lab_capture_start router lan0 "$lan"
lab_capture_start router wan0 "$wan"

peer() {
    lab_x "$1" "$LAB_PY" "$here/media_peers.py" "${@:2}" >&2 ||
        lab_die "media_peers.py ${*:2} failed"
}
session() {
    local lport=$1 addr=$2 port=$3 outcome=$4 srv
    lab_spawn inet "$LAB_PY" "$here/media_peers.py" webrtc-server \
        "$addr" "$port"
    srv=$LAB_LAST_PID
    lab_wait_listen inet udp "$addr:$port"
    peer phone webrtc-client "$lport" "$addr" "$port" 5 "$outcome"
    if [ "$outcome" = answered ]; then
        wait "$srv" || lab_die "the media server $addr:$port failed"
        cat "$LAB_LAST_LOG" >&2
    fi
}
session 50000 $NOW 15000 answered
session 50002 $LEGACY 12000 answered
session 50004 $HIGH 25000 silent
lab_capture_stop

# tshark gives UDP 12000 to another protocol; ICMP errors quoting RTP
# must not count as RTP.
rtp="!icmp && rtp.version == 2 && rtp.p_type == 0"
read -r now_out now_in leg_out leg_in high_out high_in < <(sip_count \
    -d udp.port==12000,rtp "$lan" \
    "$rtp && udp.dstport == 15000" "$rtp && udp.srcport == 15000" \
    "$rtp && udp.dstport == 12000" "$rtp && udp.srcport == 12000" \
    "!icmp && udp.dstport == 25000" "!icmp && udp.srcport == 25000")
((now_out == 250 && now_in >= 240 && leg_out == 250 && leg_in >= 240)) ||
    lab_die "$lan: RTP 15000 $now_out/$now_in, 12000 $leg_out/$leg_in"
((high_out == 4 && high_in == 0)) ||
    lab_die "$lan: port 25000 $high_out out, $high_in in (want 4 and 0)"
mapped=$(sip_field "$lan" 'stun.type == 0x0101' stun.att.ipv4 | sort -u)
[ "$mapped" = 203.0.113.2 ] ||
    lab_die "$lan: XOR-MAPPED-ADDRESS '$mapped', expected 203.0.113.2"
[ "$(sip_count "$wan" 'udp.port == 25000')" -eq 0 ] ||
    lab_die "$wan: port 25000 traffic passed the router"
lab_log "webrtc-media: ok"
