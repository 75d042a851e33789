#!/bin/bash
# tests/lab/sip_double_nat.sh: a SIP phone behind two NATs (home router
# behind a carrier-grade NAT), and the evidence of it a LAN capture holds.
#
# Usage: sip_double_nat.sh [OUTDIR]   (writes OUTDIR/sip-double-nat-lan.pcap,
#                                       the home router's LAN side, and
#                                       OUTDIR/sip-double-nat-wan.pcap, the
#                                       carrier NAT's public side)
#
# phone 192.168.1.10 -> home router (lan0 192.168.1.1, NAT, wan0
# 100.64.10.2) -> carrier NAT "cgnat" (in0 100.64.10.1, NAT, wan0
# 203.0.113.2) -> internet.  The home router's WAN address is in the
# RFC 6598 shared space 100.64.0.0/10.  The carrier also runs a STUN
# server inside that space (namespace "carrier", 100.64.0.10, reached
# without NAT through cgnat's svc0 100.64.0.1).  From the phone, in order:
#   1. traceroute-like UDP probes to the registrar with TTL 1, 2, 3, 4:
#      ICMP time-exceeded from 192.168.1.1, 100.64.10.1 (the second hop is
#      in CGNAT space), 203.0.113.1, then port unreachable from
#      199.7.172.10;
#   2. a STUN Binding to the carrier's server 100.64.0.10:3478: the mapped
#      address is 100.64.10.2, the home router's CGNAT-space address;
#   3. a STUN Binding to a public STUN server 198.51.100.34:3478: the mapped
#      address is 203.0.113.2, the carrier NAT's public address;
#   4. REGISTER (401, then 200 with received=203.0.113.2) and a 3 s PCMU
#      call to bob, as in sip_plain_nat.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
. "$here/lib_sip.sh"
lab_require_root
lab_require_cmd kamailio baresip turnserver turnutils_stunclient tshark \
    "$LAB_PY"

CARRIER_STUN=100.64.0.10
PUBLIC_STUN=198.51.100.34

lab_ns phone
lab_ns router
lab_ns cgnat
lab_ns carrier
lab_ns inet
lab_link phone eth0 192.168.1.10/24 router lan0 192.168.1.1/24
lab_link router wan0 100.64.10.2/24 cgnat in0 100.64.10.1/24
lab_link cgnat svc0 100.64.0.1/24 carrier eth0 $CARRIER_STUN/24
lab_link cgnat wan0 203.0.113.2/24 inet eth0 203.0.113.1/24
lab_route phone default 192.168.1.1
lab_route router default 100.64.10.1
lab_route carrier default 100.64.0.1
lab_route cgnat default 203.0.113.1
lab_router_nat router wan0
lab_router_nat cgnat wan0
lab_addr inet lo $PUBLIC_STUN/32
sip_provider_net

sip_stun_server carrier $CARRIER_STUN
sip_stun_server inet $PUBLIC_STUN
sip_peers

mkdir -p "$out"
lan=$out/sip-double-nat-lan.pcap
wan=$out/sip-double-nat-wan.pcap
lab_capture_start router lan0 "$lan"
lab_capture_start cgnat wan0 "$wan"
lab_x phone "$LAB_PY" "$here/media_peers.py" ttl-probe $SIP_REGISTRAR \
    33434 5 >&2 || lab_die "the TTL probes got no answer"
for s in $CARRIER_STUN $PUBLIC_STUN; do
    lab_x phone turnutils_stunclient -p 3478 "$s" >"$LAB_TMP/stun.log" 2>&1 ||
        lab_die "STUN binding to $s failed: $(cat "$LAB_TMP/stun.log")"
    grep -i 'reflexive' "$LAB_TMP/stun.log" >&2 || true
done
sip_call 3
lab_capture_stop

hops=$(sip_field "$lan" 'icmp.type == 11' ip.src | tr '\n' ' ')
[ "$hops" = "192.168.1.1 100.64.10.1 203.0.113.1 " ] ||
    lab_die "$lan: time-exceeded from '$hops'"
[ "$(sip_count "$lan" "icmp.type == 3 && ip.src == $SIP_REGISTRAR")" -eq 1 ] ||
    lab_die "$lan: no port unreachable from the registrar"
for want in "$CARRIER_STUN 100.64.10.2" "$PUBLIC_STUN 203.0.113.2"; do
    read -r s m <<<"$want"
    got=$(sip_field "$lan" "stun.type == 0x0101 && ip.src == $s" \
        stun.att.ipv4 | sort -u)
    [ "$got" = "$m" ] ||
        lab_die "$lan: STUN from $s mapped '$got', expected $m"
done
for pcap in "$lan" "$wan"; do
    read -r reg ok bye out in < <(sip_count "$pcap" \
        'sip.Method == "REGISTER"' 'sip.Status-Code == 200' \
        'sip.Method == "BYE"' \
        "!icmp && rtp && udp.srcport == $SIP_PHONE_RTP" \
        "!icmp && rtp && udp.srcport == $SIP_FAR_RTP")
    ((reg == 2 && ok == 3 && bye == 1 && out >= 140 && in >= 140)) ||
        lab_die "$pcap: $reg REGISTER, $ok 200, $bye BYE, RTP $out/$in"
done
got=$(sip_field "$lan" 'sip.Status-Code == 200' sip.Via.received | sort -u)
[ "$got" = 203.0.113.2 ] || lab_die "$lan: received=$got"
[ "$(sip_count "$wan" 'ip.addr == 100.64.0.0/10 || ip.addr == 192.168.0.0/16')" \
    -eq 0 ] || lab_die "$wan: inside addresses in IP headers"
lab_log "sip-double-nat: ok"
