#!/bin/bash
# tests/lab/tcp_faults.sh: record TCP and UDP failures made by a router.
#
# Usage: tcp_faults.sh [OUTDIR]   (writes OUTDIR/tcp-faults.pcap)
#
# Five flows from the phone through the home router, captured on the
# router's LAN side:
#   (a) HTTP download of 60000 bytes from the Ring.io web host (TCP 80);
#       the router drops every 20th segment coming from the server, i.e.
#       BEFORE the capture point: the capture shows gaps, then the resent
#       segments filling them;
#   (b) HTTP upload (POST) of 60000 bytes to the same host (TCP 5280); the
#       router drops every 20th packet from the phone, AFTER the capture
#       point: the capture shows each lost segment and its retransmission;
#   (c) TCP to 5222 (XMPP), which the router rejects with a TCP reset;
#   (d) TCP to 5061 (SIP over TLS), which the router silently drops: the
#       phone retransmits its SYN (every second on recent kernels, after
#       1 s and 3 s on older ones) and gives up at 5 s;
#   (e) SIP OPTIONS over UDP to 5060 on the Ring.io SIP host, where nothing
#       listens: the host answers ICMP port unreachable.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
lab_require_root
lab_require_cmd tshark "$LAB_PY"

WEB=199.7.173.10    # Ring.io desktop web/XMPP host (provider range)
SIP=199.7.172.10    # Ring.io SIP host (provider range)
SIZE=60000          # per direction; keeps the capture near 150 KB

lab_home
lab_addr inet lo $WEB/32
lab_addr inet lo $SIP/32

# A fixed --mode nth instead of --mode random: the same packets are lost
# on every run, so a re-recorded capture tells the same story.
lab_fault router -s $WEB -p tcp --sport 80 -m statistic --mode nth \
    --every 20 --packet 19 -j DROP
lab_fault router -d $WEB -p tcp --dport 5280 -m statistic --mode nth \
    --every 20 --packet 19 -j DROP
lab_fault router -d $WEB -p tcp --dport 5222 -j REJECT \
    --reject-with tcp-reset
lab_fault router -d $SIP -p tcp --dport 5061 -j DROP

mkdir "$LAB_TMP/www"
yes 'ringscope lab bulk transfer' | head -c $SIZE >"$LAB_TMP/www/bulk.bin"
lab_spawn inet "$LAB_PY" -m http.server --bind $WEB \
    --directory "$LAB_TMP/www" 80
lab_spawn inet "$LAB_PY" "$here/peers.py" http-sink $WEB 5280
sink=$LAB_LAST_PID
lab_wait_listen inet tcp 80
lab_wait_listen inet tcp 5280

mkdir -p "$out"
pcap=$out/tcp-faults.pcap
lab_capture_start router lan0 "$pcap"

peer() { lab_x phone "$LAB_PY" "$here/peers.py" "$@"; }
peer http $WEB 80 lab-web.ring.io /bulk.bin $SIZE
peer http-post $WEB 5280 lab-web.ring.io /upload $SIZE
wait "$sink" || lab_die "the upload did not arrive complete"
peer tcp-expect $WEB 5222 refused
peer tcp-expect $SIP 5061 timeout
peer udp-expect $SIP 5060 unreachable

lab_capture_stop

# Check the capture tells each story.  On a lab's microsecond RTT, tshark
# calls a resent segment "fast retransmission", or "out-of-order" when it
# follows the previous segment within 3 ms; that depends on timing, so
# the checks accept either or look at the sequence numbers themselves.
read -r gaps fills reset syns synacks unreach < <(lab_count "$pcap" \
    'tcp.srcport == 80 && tcp.analysis.lost_segment' \
    'tcp.srcport == 80 && (tcp.analysis.retransmission ||
        tcp.analysis.fast_retransmission || tcp.analysis.out_of_order)' \
    'tcp.srcport == 5222 && tcp.flags.reset == 1' \
    'tcp.dstport == 5061 && tcp.flags.syn == 1' \
    'tcp.srcport == 5061' \
    'icmp.type == 3 && icmp.code == 3 && udp.dstport == 5060')
resent=$(tshark -r "$pcap" -Y 'tcp.dstport == 5280 && tcp.len > 0' \
    -T fields -e tcp.seq 2>/dev/null | sort | uniq -d | wc -l)
((gaps >= 2 && fills >= 2)) ||
    lab_die "no gaps and resends on the download in $pcap"
[ "$resent" -ge 2 ] ||
    lab_die "no segment seen twice (sent, resent) on the upload in $pcap"
[ "$reset" -eq 1 ] || lab_die "no reset answering the SYN to 5222 in $pcap"
((syns >= 3 && synacks == 0)) ||
    lab_die "no unanswered SYN retries to 5061 in $pcap"
[ "$unreach" -eq 1 ] ||
    lab_die "no ICMP port unreachable for UDP 5060 in $pcap"
lab_log "tcp-faults: ok"
