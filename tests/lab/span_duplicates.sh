#!/bin/bash
# tests/lab/span_duplicates.sh: record a span port that sees every frame twice.
#
# Usage: span_duplicates.sh [OUTDIR]   (writes OUTDIR/span-duplicates.pcap)
#
# The phone reaches its router through a switch (a Linux bridge).  The
# switch's span session copies both directions of BOTH ports, the phone's
# and the router's, to a monitor port: a frame entering on one port and
# leaving on the other is copied twice, the classic SPAN misconfiguration.
# The analyzer host on the monitor port records:
#   - an HTTP GET from the phone to the Ring.io web host (TCP 80);
#   - 50 PCMU RTP packets each way (20 ms apart) between the phone and a
#     Twilio media address (168.86.128.10, UDP 10000), symmetric RTP.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
lab_require_root
lab_require_cmd tc tshark editcap capinfos "$LAB_PY"

WEB=199.7.173.10    # Ring.io web host (provider range)
MEDIA=168.86.128.10 # Twilio media (168.86.128.0/18)
RTP_COUNT=50

lab_ns phone
lab_ns sw
lab_ns router
lab_ns inet
lab_ns tap
lab_link phone eth0 192.168.1.10/24 sw p1 -
lab_link sw p2 - router lan0 192.168.1.1/24
lab_link router wan0 203.0.113.2/24 inet eth0 203.0.113.1/24
lab_link sw mon0 - tap mon1 -
lab_bridge sw br0 p1 p2
lab_mirror sw p1 mon0
lab_mirror sw p2 mon0
lab_route phone default 192.168.1.1
lab_route router default 203.0.113.1
lab_router_nat router wan0
lab_addr inet lo $WEB/32
lab_addr inet lo $MEDIA/32

mkdir "$LAB_TMP/www"
echo '<html><body>ringscope lab</body></html>' >"$LAB_TMP/www/index.html"
lab_spawn inet "$LAB_PY" -m http.server --bind $WEB \
    --directory "$LAB_TMP/www" 80
lab_spawn inet "$LAB_PY" "$here/peers.py" rtp $MEDIA 10000 - 0 \
    $RTP_COUNT 0x7a11c0de
rtp_far=$LAB_LAST_PID
lab_wait_listen inet tcp 80
lab_wait_listen inet udp 10000

mkdir -p "$out"
pcap=$out/span-duplicates.pcap
lab_capture_start tap mon1 "$pcap"

peer() { lab_x phone "$LAB_PY" "$here/peers.py" "$@"; }
peer http $WEB 80 lab-web.ring.io /
peer rtp 192.168.1.10 40000 $MEDIA 10000 $RTP_COUNT 0x0ca11e12
wait "$rtp_far" || lab_die "the far RTP end did not get its packets"

lab_capture_stop

# Every frame must be there exactly twice: removing duplicates (same MD5
# within a window of 16 frames) must halve the count, and the flows must
# be the intended ones.  (tshark shows the second copy of a TCP segment as
# a retransmission, so the request is counted by payload length.)
frames() { capinfos -c -M "$1" | awk '/Number of packets/ { print $4 }'; }
editcap -D 16 "$pcap" "$LAB_TMP/dedup.pcap" >/dev/null 2>&1
total=$(frames "$pcap")
unique=$(frames "$LAB_TMP/dedup.pcap")
((total > 0 && total == 2 * unique)) ||
    lab_die "$pcap: $total frames, $unique unique: not every frame twice"
read -r requests rtp < <(lab_count "$pcap" \
    'tcp.dstport == 80 && tcp.len > 0' 'udp.port == 10000')
[ "$requests" -eq 2 ] || lab_die "HTTP request missing from $pcap"
[ "$rtp" -eq $((4 * RTP_COUNT)) ] || lab_die "RTP packets missing from $pcap"
lab_log "span-duplicates: ok ($total frames, $unique unique)"
