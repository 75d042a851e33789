#!/bin/bash
# tests/lab/rtp_loss_qos.sh: a call with inbound packet loss and DSCP
# marking in one direction only.
#
# Usage: rtp_loss_qos.sh [OUTDIR]   (writes OUTDIR/rtp-loss-qos-lan.pcap
#                                     and OUTDIR/rtp-loss-qos-wan.pcap)
#
# The call of sip_plain_nat.sh with two differences:
#   - the router drops each RTP packet from the far end with probability
#     5 % (iptables -m statistic --mode random), before the LAN capture
#     point: the LAN side shows sequence gaps in the inbound stream, the
#     WAN side the complete stream;
#   - the phone's RTP leaves unmarked (baresip rtp_tos 0: DSCP 0), while
#     the far end marks its RTP EF (DSCP 46).  SIP is CS3 both ways.
# Random loss makes the count change from run to run (about 12 of 250).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
. "$here/lib_sip.sh"
lab_require_root
lab_require_cmd kamailio baresip tshark "$LAB_PY"

lab_home
sip_provider_net
lab_fault router -i wan0 -s $SIP_FAR -p udp --sport $SIP_FAR_RTP \
    -m statistic --mode random --probability 0.05 -j DROP
sip_peers 0 184

mkdir -p "$out"
lan=$out/rtp-loss-qos-lan.pcap
wan=$out/rtp-loss-qos-wan.pcap
lab_capture_start router lan0 "$lan"
lab_capture_start router wan0 "$wan"
sip_call 5
lab_capture_stop

out_rtp="!icmp && rtp && udp.srcport == $SIP_PHONE_RTP"
in_rtp="!icmp && rtp && udp.srcport == $SIP_FAR_RTP"
read -r ok bye out in out_ef in_ef < <(sip_count "$lan" \
    'sip.Status-Code == 200' 'sip.Method == "BYE"' "$out_rtp" "$in_rtp" \
    "$out_rtp && ip.dsfield.dscp == 0" "$in_rtp && ip.dsfield.dscp == 46")
((ok == 3 && bye == 1)) ||
    lab_die "$lan: call incomplete ($ok 200 OK, $bye BYE)"
((out_ef == out && in_ef == in)) ||
    lab_die "$lan: DSCP: $out_ef of $out outbound unmarked," \
        "$in_ef of $in inbound EF"
read -r wan_in < <(sip_count "$wan" "$in_rtp")
# The far end's first packet or two may meet the firewall before the
# phone's first packet opens the way, so compare with the WAN side, after
# that point, through the sequence numbers.
first=$(sip_field "$lan" "$in_rtp" rtp.seq | head -1)
last=$(sip_field "$lan" "$in_rtp" rtp.seq | tail -1)
lost=$((last - first + 1 - in))
((out >= 240 && wan_in >= 240 && lost >= 3 && lost <= 40)) ||
    lab_die "$lan: $out RTP out, $in in ($lost lost; $wan_in on the WAN)"
lab_log "rtp-loss-qos: ok ($lost of $((last - first + 1)) inbound lost)"
