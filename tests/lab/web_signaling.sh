#!/bin/bash
# tests/lab/web_signaling.sh: record web-phone and desktop-app signaling.
#
# Usage: web_signaling.sh [OUTDIR]   (writes OUTDIR/web-signaling.pcap,
#                                      OUTDIR defaults to pcaps/)
#
# A phone on the LAN resolves Twilio's signaling names and two lab Ring.io
# names at a DNS server on the "internet", then opens TLS 1.3 with SNI to
# each, plain HTTP to port 80, XMPP-over-HTTP (BOSH) to 5280 and an XMPP
# session with STARTTLS to 5222.  The capture is the router's LAN side, as
# a span port behind the home router would see it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../pcaps}
. "$here/lib.sh"
lab_require_root
lab_require_cmd dnsmasq openssl prosody tshark "$LAB_PY"
lab_require_py slixmpp

# Servers.  Signaling hosts are recognised by name (SNI, DNS), so their
# addresses only need to look public; the Ring.io host sits in the
# provider's range 199.7.172.0/22.  The ring.io names are lab inventions.
DNS=198.51.100.53
SIG_GLL=54.172.61.20     # chunderw-vpc-gll.twilio.com (1.x signaling)
SIG_ROAM=54.172.61.21    # voice-js.roaming.twilio.com (2.x signaling)
INSIGHTS=54.172.61.22    # eventgw.twilio.com (Insights)
RINGIO=199.7.173.10      # lab-web.ring.io, lab-xmpp.ring.io

lab_home
for a in $DNS $SIG_GLL $SIG_ROAM $INSIGHTS $RINGIO; do
    lab_addr inet lo "$a/32"
done
# Anything on the phone that uses the libc resolver asks the lab DNS too.
lab_resolv phone $DNS

lab_spawn inet dnsmasq --no-daemon --conf-file=/dev/null --no-resolv \
    --no-hosts --bind-interfaces --listen-address=$DNS --user=root \
    --host-record=chunderw-vpc-gll.twilio.com,$SIG_GLL \
    --host-record=voice-js.roaming.twilio.com,$SIG_ROAM \
    --host-record=eventgw.twilio.com,$INSIGHTS \
    --host-record=lab-web.ring.io,$RINGIO \
    --host-record=lab-xmpp.ring.io,$RINGIO

# openssl s_server answers any SNI with the same certificate; -www sends a
# status page in answer to the GET inside the tunnel.
lab_cert chunderw-vpc-gll.twilio.com voice-js.roaming.twilio.com \
    eventgw.twilio.com lab-web.ring.io lab-xmpp.ring.io
for a in $SIG_GLL $SIG_ROAM $INSIGHTS $RINGIO; do
    lab_spawn inet openssl s_server -quiet -www -accept "$a:443" \
        -cert "$LAB_TMP/lab.crt" -key "$LAB_TMP/lab.key"
done

mkdir "$LAB_TMP/www"
echo '<html><body>ringscope lab</body></html>' >"$LAB_TMP/www/index.html"
lab_spawn inet "$LAB_PY" -m http.server --bind $RINGIO \
    --directory "$LAB_TMP/www" 80

# Prosody: c2s on 5222 (STARTTLS required) and BOSH on 5280.  It runs as
# root only because the namespace and its config are throw-away.
cat >"$LAB_TMP/prosody.cfg.lua" <<EOF
daemonize = false
run_as_root = true
pidfile = "$LAB_TMP/prosody.pid"
data_path = "$LAB_TMP"
certificates = "$LAB_TMP"
log = { { levels = { min = "warn" }, to = "console" } }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "bosh" }
modules_disabled = { "s2s" }
interfaces = { "$RINGIO" }
c2s_ports = { 5222 }
http_interfaces = { "$RINGIO" }
http_ports = { 5280 }
https_ports = { }
consider_bosh_secure = true
ssl = { certificate = "$LAB_TMP/lab.crt"; key = "$LAB_TMP/lab.key" }
VirtualHost "lab-xmpp.ring.io"
    authentication = "anonymous"
EOF
lab_spawn inet prosody -F --config "$LAB_TMP/prosody.cfg.lua"

lab_wait_listen inet udp 53
for a in $SIG_GLL $SIG_ROAM $INSIGHTS $RINGIO; do
    lab_wait_listen inet tcp "$a:443"
done
lab_wait_listen inet tcp 80
lab_wait_listen inet tcp 5222
lab_wait_listen inet tcp 5280

mkdir -p "$out"
pcap=$out/web-signaling.pcap
lab_capture_start router lan0 "$pcap"

peer() { lab_x phone "$LAB_PY" "$here/peers.py" "$@"; }

# The client connects to the addresses DNS gave it, as a browser would.
declare -A ip
while read -r name addr; do
    ip[$name]=$addr
done < <(peer dns $DNS chunderw-vpc-gll.twilio.com \
    voice-js.roaming.twilio.com eventgw.twilio.com lab-web.ring.io \
    lab-xmpp.ring.io)
[ ${#ip[@]} -eq 5 ] || lab_die "DNS answered ${#ip[@]} of 5 names"

peer tls "${ip[chunderw-vpc-gll.twilio.com]}" 443 \
    chunderw-vpc-gll.twilio.com /signal
peer tls "${ip[voice-js.roaming.twilio.com]}" 443 \
    voice-js.roaming.twilio.com /signal
peer tls "${ip[eventgw.twilio.com]}" 443 eventgw.twilio.com /v4/EndpointEvents
peer tls "${ip[lab-web.ring.io]}" 443 lab-web.ring.io /
peer http "${ip[lab-web.ring.io]}" 80 lab-web.ring.io /
peer bosh "${ip[lab-xmpp.ring.io]}" 5280 lab-xmpp.ring.io:5280 \
    lab-xmpp.ring.io
# The XMPP client resolves its server through libc (lab_resolv above).
lab_x phone "$LAB_PY" "$here/xmpp_client.py" lab-xmpp.ring.io 5222 \
    lab-xmpp.ring.io

lab_capture_stop

# The capture must hold what was intended: 5 DNS answers (+1 from the
# XMPP client's own lookup), 5 SNIs (the 5th inside XMPP STARTTLS), 1 HTTP
# Host on 80, the BOSH request on 5280 and an XMPP stream on 5222.
read -r answers snis http bosh xmpp < <(lab_count "$pcap" \
    'dns.flags.response == 1 && dns.a' \
    'tls.handshake.extensions_server_name' \
    'http.host == "lab-web.ring.io" && tcp.dstport == 80' \
    'http.request.method == "POST" && tcp.dstport == 5280' \
    'xmpp.stream && tcp.dstport == 5222')
[ "$answers" -eq 6 ] || lab_die "DNS answers missing from $pcap"
[ "$snis" -eq 5 ] || lab_die "TLS ClientHellos with SNI missing from $pcap"
[ "$http" -eq 1 ] || lab_die "HTTP request on port 80 missing from $pcap"
[ "$bosh" -eq 1 ] || lab_die "BOSH request on port 5280 missing from $pcap"
[ "$xmpp" -eq 1 ] || lab_die "XMPP stream on port 5222 missing from $pcap"
lab_log "web-signaling: ok"
