# tests/lab/lib_sip.sh: SIP and RTP peers for the network lab.
#
# Sourced after lib.sh by the SIP/RTP scenarios.  The peers are real
# programs: kamailio as the provider's registrar and proxy, baresip as the
# phone and as the far end, coturn for STUN; sip_ctl.py drives baresip
# through its ctrl_tcp module and media_peers.py plays the small parts no
# packaged program plays (WebRTC-like media, traceroute-like probes).
#
# API:
#   sip_provider_net             the provider's segment 199.7.172.0/24
#                                behind "inet": namespace "sip"
#                                (199.7.172.10, registrar/proxy) and "far"
#                                (199.7.172.20, the called party); inet
#                                routes between it and the WAN
#   sip_kamailio NS ADDR         kamailio on ADDR:5060/UDP: digest auth for
#                                REGISTER (401) and INVITE (407), location
#                                lookup, Record-Route, and the provider's
#                                far-end NAT fix (received/rport, Contact
#                                and SDP c=/o= set to the source address
#                                when the request shows a NAT)
#   sip_ua NS USER ADDR RTP [TOS]
#                                baresip in NS for USER, SIP on ADDR:5060,
#                                RTP on port RTP (RTCP on RTP+1) with TOS
#                                byte TOS (default 184 = EF, baresip's own
#                                default)
#   sip_ctl NS STEP...           run sip_ctl.py steps against NS's baresip
#   sip_peers [PHONE_TOS [FAR_TOS]]
#                                kamailio in "sip", bob's UA in "far"
#                                (registered), alice's UA in "phone" (not
#                                yet registered), SIP marked CS3 by both
#   sip_call SECS                alice registers, calls bob, talks for SECS
#                                and hangs up; fails unless each step
#                                happened
#   sip_account USER [PARAMS]    the account line for USER at the registrar
#   sip_stun_server NS ADDR      coturn as a plain STUN server (RFC 5389
#                                Binding only) on ADDR:3478/UDP
#   sip_mark_signaling NS        the UA's own SIP leaves marked CS3, as a
#                                phone's "SIP QoS" setting does (baresip 1.0
#                                marks RTP only)
#   sip_count [-d DECODE-AS]... PCAP FILTER...
#                                lab_count with RTP decoded heuristically
#                                (and tshark's -d for ports it would give
#                                to another protocol)
#   sip_field PCAP FILTER FIELD  the first value of FIELD (the outer one,
#                                in an ICMP error) in each frame matching
#                                FILTER, one line per frame
# Fixed values: SIP_REGISTRAR 199.7.172.10, SIP_FAR 199.7.172.20; users
# alice (namespace phone) and bob (namespace far), both with the lab
# password SIP_PASS; the phone's RTP uses port SIP_PHONE_RTP (16384), the
# far end's SIP_FAR_RTP (30000), so every recording uses the same ports.

SIP_REGISTRAR=199.7.172.10
SIP_FAR=199.7.172.20
SIP_PASS=lab-secret
SIP_PHONE_RTP=16384
SIP_FAR_RTP=30000
SIP_TONE=$LAB_TMP/tone-8k.wav

# The provider's network: a switch (bridge) in "inet" with the registrar
# and the far end on it.  inet becomes a router between the WAN and that
# segment; nothing routes further out.
sip_provider_net() {
    lab_ns sip
    lab_ns far
    lab_link inet psip - sip eth0 $SIP_REGISTRAR/24
    lab_link inet pfar - far eth0 $SIP_FAR/24
    lab_bridge inet br0 psip pfar
    lab_addr inet br0 199.7.172.1/24
    lab_x inet sysctl -q -w net.ipv4.ip_forward=1
    lab_route sip default 199.7.172.1
    lab_route far default 199.7.172.1
}

# An 8 kHz, 16-bit mono tone (440 Hz) for baresip's aufile source: its
# sine generator only runs at 48 kHz, and PCMU needs 8 kHz.  20 s outlasts
# every call in the lab.
sip_tone() {
    [ -s "$SIP_TONE" ] && return 0
    "$LAB_PY" - "$SIP_TONE" <<'EOF' || lab_die "cannot write the tone file"
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    w.writeframes(b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 8000)))
        for i in range(8000 * 20)))
EOF
}

sip_account() {
    printf '<sip:%s@%s;transport=udp>;auth_pass=%s%s\n' \
        "$1" $SIP_REGISTRAR $SIP_PASS "${2:-}"
}

sip_kamailio() {
    local ns=$1 addr=$2 cfg
    cfg=$LAB_TMP/kamailio-$ns.cfg
    mkdir -p "$LAB_TMP/kamailio-$ns"
    cat >"$cfg" <<EOF
#!KAMAILIO
debug=2
log_stderror=yes
children=2
listen=udp:$addr:5060
disable_tcp=yes
auto_aliases=no
alias="$addr"
# Everything kamailio sends leaves marked CS3 (DSCP 24), the usual SIP
# class.
tos=0x60
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "auth.so"
loadmodule "nathelper.so"
modparam("usrloc", "db_mode", 0)
modparam("registrar|nathelper", "received_avp", "\$avp(RECEIVED)")
# No NAT keepalive pings: they would add traffic the scenarios do not want.
modparam("nathelper", "natping_interval", 0)

request_route {
    if (!mf_process_maxfwd_header("10")) {
        sl_send_reply("483", "Too Many Hops");
        exit;
    }
    # RFC 3581: answer to the address and port the request came from.
    force_rport();
    # A NATed phone: private Contact (1), Via sent-by not the source
    # address (2) or port (16).  Fix what the far end would otherwise use,
    # as a provider's edge proxy does; with a SIP ALG on the customer's
    # router nothing is left to fix.
    if (nat_uac_test("19")) {
        if (is_method("REGISTER")) {
            fix_nated_register();
        } else {
            fix_nated_contact();
        }
        if (has_body("application/sdp") && nat_uac_test("8")) {
            fix_nated_sdp("10");
        }
    }
    if (has_totag()) {
        if (loose_route()) {
            t_relay();
            exit;
        }
        if (is_method("ACK") && t_check_trans()) {
            t_relay();
        }
        exit;
    }
    if (is_method("CANCEL")) {
        if (t_check_trans()) {
            t_relay();
        }
        exit;
    }
    t_check_trans();
    if (is_method("REGISTER")) {
        if (!pv_www_authenticate("\$td", "$SIP_PASS", "0")) {
            www_challenge("\$td", "0");
            exit;
        }
        consume_credentials();
        if (!save("location")) {
            sl_reply_error();
        }
        exit;
    }
    if (is_method("INVITE")) {
        if (!pv_proxy_authenticate("\$fd", "$SIP_PASS", "0")) {
            proxy_challenge("\$fd", "0");
            exit;
        }
        consume_credentials();
        record_route();
    }
    if (!lookup("location")) {
        sl_send_reply("404", "Not Found");
        exit;
    }
    t_relay();
}
EOF
    lab_spawn "$ns" kamailio -f "$cfg" -DD -E -m 32 -M 4 \
        -Y "$LAB_TMP/kamailio-$ns" -P "$LAB_TMP/kamailio-$ns/pid"
    lab_wait_listen "$ns" udp "$addr:5060"
}

# One baresip per namespace (a UA sharing a namespace may announce the
# wrong address in SDP).  Only the modules a headless phone needs: PCMU,
# the tone file as microphone, ALSA's null device as speaker, ctrl_tcp.
# The account comes later through sip_ctl ("uanew"), so the control
# connection is open before the first REGISTER and sees its outcome.
sip_ua() {
    local ns=$1 user=$2 addr=$3 port=$4 tos=${5:-184} dir
    dir=$LAB_TMP/ua-$user
    sip_tone
    mkdir -p "$dir"
    : >"$dir/accounts"
    cat >"$dir/config" <<EOF
poll_method epoll
sip_listen $addr:5060
audio_player alsa,null
audio_alert alsa,null
audio_source aufile,$SIP_TONE
rtp_tos $tos
rtp_ports $port-$((port + 1))
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module alsa.so
module_tmp account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:4444
EOF
    lab_spawn "$ns" baresip -4 -f "$dir"
    lab_wait_listen "$ns" tcp 127.0.0.1:4444
    lab_wait_listen "$ns" udp "$addr:5060"
}

sip_ctl() {
    local ns=$1
    shift
    lab_x "$ns" "$LAB_PY" "$LAB_DIR/sip_ctl.py" 127.0.0.1:4444 "$@" >&2 ||
        lab_die "the user agent in $ns did not do: $*"
}

# shellcheck disable=SC2120 # both arguments are optional
sip_peers() {
    sip_kamailio sip $SIP_REGISTRAR
    sip_mark_signaling far
    sip_ua far bob $SIP_FAR $SIP_FAR_RTP "${2:-184}"
    sip_ctl far uanew "$(sip_account bob ';regint=600;answermode=auto')" \
        expect REGISTER_OK 5
    sip_mark_signaling phone
    sip_ua phone alice 192.168.1.10 $SIP_PHONE_RTP "${1:-184}"
}

sip_call() {
    sip_ctl phone uanew "$(sip_account alice ';regint=600')" \
        expect REGISTER_OK 5 \
        dial "sip:bob@$SIP_REGISTRAR" expect CALL_ESTABLISHED 10 \
        sleep "$1" hangup expect CALL_CLOSED 5
}

sip_stun_server() {
    local ns=$1 addr=$2
    lab_spawn "$ns" turnserver --stun-only -n --no-cli --no-tls --no-dtls \
        --no-rfc5780 --listening-ip "$addr" --listening-port 3478 \
        --log-file stdout --simple-log \
        --pidfile "$LAB_TMP/turnserver-$ns.pid"
    lab_wait_listen "$ns" udp "$addr:3478"
}

sip_mark_signaling() {
    lab_ipt "$1" -t mangle -A OUTPUT -p udp --sport 5060 \
        -j DSCP --set-dscp-class CS3
}

sip_count() {
    local opts=() pcap spec=io,stat,0 f
    while [ "$1" = -d ]; do
        opts+=(-d "$2")
        shift 2
    done
    pcap=$1
    shift
    for f in "$@"; do
        spec=$spec,$f
    done
    tshark -o rtp.heuristic_rtp:TRUE "${opts[@]}" -r "$pcap" -q -z "$spec" \
        2>/dev/null | awk -F'|' '
        /^\| *[0-9.]+ <> / {
            for (i = 3; i < NF; i += 2) {
                gsub(/ /, "", $i)
                printf "%s%s", (i > 3 ? " " : ""), $i
            }
            print ""
        }'
}

sip_field() {
    tshark -o rtp.heuristic_rtp:TRUE -r "$1" -Y "$2" -T fields \
        -E occurrence=f -e "$3" 2>/dev/null
}
