#!/bin/bash
# tests/lab/sip_no_response.sh: SIP requests whose responses never arrive.
#
# Usage: sip_no_response.sh [OUTDIR]   (writes OUTDIR/sip-no-response-lan.pcap
#                                        and OUTDIR/sip-no-response-wan.pcap)
#
# The home router drops every packet from the registrar's SIP port
# (199.7.172.10:5060) towards the LAN, as a broken firewall rule would.
# The phone registers and, a moment later, calls bob.  The registrar
# answers each request (401 to every REGISTER, 407 to every INVITE), but
# the answers die in the router, so the phone retransmits per RFC 3261
# section 17.1: the REGISTER with Timer E (0.5 s doubling, capped at 4 s:
# 11 copies) until Timer F, the INVITE with Timer A (0.5 s doubling: 7
# copies) until Timer B, both 32 s.  The LAN side shows requests only; the
# WAN side shows every answer too.  The run takes about 45 s, on purpose:
# the timers are the point.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
. "$here/lib_sip.sh"
lab_require_root
lab_require_cmd kamailio baresip tshark "$LAB_PY"

lab_home
sip_provider_net
lab_fault router -s $SIP_REGISTRAR -p udp --sport 5060 -j DROP
sip_peers

mkdir -p "$out"
lan=$out/sip-no-response-lan.pcap
wan=$out/sip-no-response-wan.pcap
lab_capture_start router lan0 "$lan"
lab_capture_start router wan0 "$wan"
sip_ctl phone uanew "$(sip_account alice ';regint=600')" sleep 1 \
    dial "sip:bob@$SIP_REGISTRAR" \
    expect REGISTER_FAIL 36 expect CALL_CLOSED 5
lab_capture_stop

read -r reg inv resp < <(sip_count "$lan" 'sip.Method == "REGISTER"' \
    'sip.Method == "INVITE"' 'sip.Status-Code')
((reg == 11 && inv == 7 && resp == 0)) ||
    lab_die "$lan: $reg REGISTER, $inv INVITE, $resp responses" \
        "(expected 11, 7 and none)"
# One transaction each: every copy carries the same Via branch.
for m in REGISTER INVITE; do
    n=$(sip_field "$lan" "sip.Method == \"$m\"" sip.Via.branch | sort -u |
        wc -l)
    [ "$n" -eq 1 ] || lab_die "$lan: $m copies use $n branches, expected 1"
done
read -r reg inv r401 r407 < <(sip_count "$wan" 'sip.Method == "REGISTER"' \
    'sip.Method == "INVITE"' 'sip.Status-Code == 401' \
    'sip.Status-Code == 407')
((reg == 11 && inv == 7 && r401 == 11 && r407 == 7)) ||
    lab_die "$wan: $reg REGISTER, $inv INVITE, $r401 401, $r407 407" \
        "(expected 11, 7, 11, 7)"
lab_log "sip-no-response: ok"
