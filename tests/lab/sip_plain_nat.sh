#!/bin/bash
# tests/lab/sip_plain_nat.sh: a clean SIP call through a NAT router.
#
# Usage: sip_plain_nat.sh [OUTDIR]   (writes OUTDIR/sip-plain-nat-lan.pcap
#                                      and OUTDIR/sip-plain-nat-wan.pcap)
#
# The phone (baresip, alice, 192.168.1.10) registers with digest auth at
# the provider's registrar (kamailio, 199.7.172.10), calls bob (baresip,
# 199.7.172.20) through it, talks PCMU for 5 s and hangs up.  The home
# router does plain MASQUERADE with a home-router firewall and no SIP ALG,
# so the SIP headers keep the phone's private addresses on the WAN side
# and the provider's proxy fixes them (received/rport, Contact, SDP c=).
# Captured on the router's LAN side and on its WAN side.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
. "$here/lib_sip.sh"
lab_require_root
lab_require_cmd kamailio baresip tshark "$LAB_PY"

lab_home
sip_provider_net
sip_peers

mkdir -p "$out"
lan=$out/sip-plain-nat-lan.pcap
wan=$out/sip-plain-nat-wan.pcap
lab_capture_start router lan0 "$lan"
lab_capture_start router wan0 "$wan"
sip_call 5
lab_capture_stop

for pcap in "$lan" "$wan"; do
    read -r reg r401 inv r407 ok bye out in < <(sip_count "$pcap" \
        'sip.Method == "REGISTER"' 'sip.Status-Code == 401' \
        'sip.Method == "INVITE"' 'sip.Status-Code == 407' \
        'sip.Status-Code == 200' 'sip.Method == "BYE"' \
        "rtp && udp.srcport == $SIP_PHONE_RTP" \
        "rtp && udp.srcport == $SIP_FAR_RTP")
    ((reg == 2 && r401 == 1 && inv == 2 && r407 == 1 && ok == 3 &&
        bye == 1)) ||
        lab_die "$pcap: SIP exchange incomplete ($reg REGISTER, $r401 401," \
            "$inv INVITE, $r407 407, $ok 200, $bye BYE)"
    ((out >= 200 && in >= 200)) ||
        lab_die "$pcap: RTP $out packets out, $in in (want 200+ each)"
done
# No ALG: the phone's private address stays inside SIP on the WAN side,
# never in an IP header there.
[ "$(sip_count "$wan" 'ip.addr == 192.168.1.0/24')" -eq 0 ] ||
    lab_die "$wan: private addresses in IP headers (NAT did not happen)"
c=$(sip_field "$wan" 'sip.Method == "INVITE"' sdp.connection_info.address |
    sort -u)
[ "$c" = 192.168.1.10 ] ||
    lab_die "$wan: INVITE SDP c= is '$c', expected the private 192.168.1.10"
lab_log "sip-plain-nat: ok"
