#!/bin/bash
# tests/lab/sip_alg.sh: the clean call of sip_plain_nat.sh through a router
# whose SIP ALG is on.
#
# Usage: sip_alg.sh [OUTDIR]   (writes OUTDIR/sip-alg-lan.pcap and
#                                OUTDIR/sip-alg-wan.pcap)
#
# Same peers and call as sip_plain_nat.sh, but the home router attaches
# the kernel's SIP helper (nf_conntrack_sip + nf_nat_sip) to UDP 5060.  On
# the way out it rewrites the phone's private address in the Via sent-by,
# Contact, From/To, SDP o= and c= to the router's public 203.0.113.2 (and
# fixes Content-Length); on the way back it rewrites received= in the
# responses' Via to the phone's private address.  The script checks both
# sides, so it fails if the ALG did nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
. "$here/lib_sip.sh"
lab_require_root
lab_require_cmd kamailio baresip tshark "$LAB_PY"

lab_home
lab_sip_alg router
sip_provider_net
sip_peers

mkdir -p "$out"
lan=$out/sip-alg-lan.pcap
wan=$out/sip-alg-wan.pcap
lab_capture_start router lan0 "$lan"
lab_capture_start router wan0 "$wan"
sip_call 5
lab_capture_stop

for pcap in "$lan" "$wan"; do
    read -r reg inv ok bye out in < <(sip_count "$pcap" \
        'sip.Method == "REGISTER"' 'sip.Method == "INVITE"' \
        'sip.Status-Code == 200' 'sip.Method == "BYE"' \
        "rtp && udp.srcport == $SIP_PHONE_RTP" \
        "rtp && udp.srcport == $SIP_FAR_RTP")
    ((reg == 2 && inv == 2 && ok == 3 && bye == 1)) ||
        lab_die "$pcap: SIP exchange incomplete ($reg REGISTER," \
            "$inv INVITE, $ok 200, $bye BYE)"
    ((out >= 200 && in >= 200)) ||
        lab_die "$pcap: RTP $out packets out, $in in (want 200+ each)"
done

# Every INVITE: top Via sent-by, Contact host and SDP c= must be the
# phone's address on the LAN side and the router's on the WAN side.
check_invites() {
    local pcap=$1 want=$2 got
    got=$(tshark -r "$pcap" -Y 'sip.Method == "INVITE"' -T fields \
        -E occurrence=f -e sip.Via.sent-by.address -e sip.contact.host \
        -e sdp.connection_info.address 2>/dev/null | sort -u)
    [ "$got" = "$want	$want	$want" ] ||
        lab_die "$pcap: INVITE Via/Contact/c= are '$got', expected $want"
}
check_invites "$lan" 192.168.1.10
check_invites "$wan" 203.0.113.2
# The responses' received= is public on the WAN side and rewritten back to
# the phone's private address on the LAN side (the ALG's signature there).
for side in "$lan 192.168.1.10" "$wan 203.0.113.2"; do
    read -r pcap want <<<"$side"
    got=$(sip_field "$pcap" 'sip.Status-Code' sip.Via.received | sort -u)
    [ "$got" = "$want" ] ||
        lab_die "$pcap: responses carry received=$got, expected $want"
done
lab_log "sip-alg: ok"
