#!/bin/bash
# tests/lab/rtp_one_way.sh: a call whose inbound media the router drops.
#
# Usage: rtp_one_way.sh [OUTDIR]   (writes OUTDIR/rtp-one-way-lan.pcap and
#                                    OUTDIR/rtp-one-way-wan.pcap)
#
# The call of sip_plain_nat.sh, but the home router lets only SIP in from
# the provider's range: a rule ahead of its firewall drops every UDP
# packet from 199.7.172.0/22 whose source port is not 5060.  Signaling
# completes (REGISTER, INVITE, 200, ACK, BYE); the phone's RTP and RTCP go
# out for 5 s, the far end's come back to the router's WAN side and die
# there.  The LAN side shows media in one direction only (one-way audio:
# the caller hears nothing); the WAN side shows both.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
. "$here/lib_sip.sh"
lab_require_root
lab_require_cmd kamailio baresip tshark "$LAB_PY"

lab_home
sip_provider_net
lab_fault router -i wan0 -s 199.7.172.0/22 -p udp ! --sport 5060 -j DROP
sip_peers

mkdir -p "$out"
lan=$out/rtp-one-way-lan.pcap
wan=$out/rtp-one-way-wan.pcap
lab_capture_start router lan0 "$lan"
lab_capture_start router wan0 "$wan"
sip_call 5
lab_capture_stop

for side in "$lan 0" "$wan 240"; do
    read -r pcap want_in <<<"$side"
    read -r ok bye out in < <(sip_count "$pcap" \
        'sip.Status-Code == 200' 'sip.Method == "BYE"' \
        "!icmp && rtp && udp.srcport == $SIP_PHONE_RTP" \
        "!icmp && udp.srcport == $SIP_FAR_RTP")
    ((ok == 3 && bye == 1)) ||
        lab_die "$pcap: call incomplete ($ok 200 OK, $bye BYE)"
    ((out >= 240)) || lab_die "$pcap: only $out RTP packets outbound"
    if [ "$want_in" -eq 0 ]; then
        [ "$in" -eq 0 ] || lab_die "$pcap: $in inbound RTP packets got in"
    else
        ((in >= want_in)) || lab_die "$pcap: only $in RTP packets inbound"
    fi
done
lab_log "rtp-one-way: ok"
