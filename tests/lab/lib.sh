# tests/lab/lib.sh: network-namespace lab that records real traffic.
#
# Sourced (bash) by the scenario scripts in this directory.  Everything
# happens inside network namespaces created by this run: veth pairs only,
# never a real interface, never a route out of the lab.  A "default" route
# inside a namespace points at another lab namespace and so stays inside.
#
# Namespaces are named "$LAB_PREFIX-NAME" ("rs" + the shell's PID), so two
# runs at the same time do not collide.  veth ends are created directly in
# their namespaces, so interface names (at most 15 characters) never exist
# in the host's namespace and need no prefix.
#
# API (other scenarios build on it; keep it stable):
#   lab_require_root             exit 77 (SKIP) unless root with netns support
#   lab_require_cmd CMD...       exit 77 (SKIP) naming the first missing tool
#   lab_require_py MODULE...     exit 77 (SKIP) unless LAB_PY imports each
#   lab_ns NAME                  create namespace NAME (lo up, IPv6 off)
#   lab_nsname NAME              print the real namespace name
#   lab_x NAME CMD...            run CMD inside NAME in the foreground
#   lab_link NS1 IF1 A1/P NS2 IF2 A2/P
#                                veth pair with addresses, up, offloads off;
#                                "-" for an end without address (switch port)
#   lab_bridge NS BR IF...       a learning switch (Linux bridge) in NS
#   lab_mirror NS IF MON         copy every frame IF sends or receives to MON
#                                (tc mirred: a switch's span session)
#   lab_addr NS IF ADDR/PFX      add an address (e.g. a server /32 on lo)
#   lab_route NS DST VIA         add a route (DST may be "default")
#   lab_router_nat NS WAN_IF     forwarding, MASQUERADE on WAN_IF and a
#                                home-router firewall (no unsolicited inbound)
#   lab_fault NS RULE...         append an iptables rule to NS's lab-faults
#                                chain, which FORWARD consults first
#   lab_sip_alg NS               attach the kernel SIP ALG to UDP 5060
#   lab_resolv NS IP             libc resolver inside NS asks the lab DNS IP
#   lab_offloads_off [NS IF]     TSO/GSO/GRO off (all lab veths if no args)
#   lab_capture_start NS IF FILE tcpdump on IF into FILE; returns once listening
#   lab_capture_stop             stop every capture, report packet counts
#   lab_spawn NS CMD...          background process; sets LAB_LAST_PID and
#                                LAB_LAST_LOG (do not call inside $(...))
#   lab_wait_listen NS tcp|udp [ADDR:]PORT [SECS]
#                                wait until something listens on PORT in NS
#   lab_home                     the usual topology: phone 192.168.1.10/24
#                                (eth0) -> router lan0 192.168.1.1/24, NAT,
#                                wan0 203.0.113.2/24 -> inet eth0
#                                203.0.113.1/24 (add server /32s on inet lo)
#   lab_cert NAME...             self-signed P-256 certificate for the names:
#                                $LAB_TMP/lab.crt and $LAB_TMP/lab.key
#   lab_count PCAP FILTER...     print, space-separated, how many frames match
#                                each display filter (one tshark pass; no
#                                commas inside a filter)
#   lab_cleanup                  kill recorded processes, delete namespaces;
#                                installed as the EXIT trap when sourced
# Variables: LAB_PREFIX, LAB_TMP (scratch directory removed at exit unless
# LAB_KEEP=1), LAB_PY (a python3 that has slixmpp), LAB_DIR (this directory).

LAB_PREFIX=${LAB_PREFIX:-rs$$}
# shellcheck disable=SC2034 # for scenarios that source this file
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The distribution's python3 carries python3-slixmpp; a python3 earlier in
# PATH (pyenv, venv) usually does not.
LAB_PY=${LAB_PY:-/usr/bin/python3}
LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ringscope-lab.XXXXXX")
LAB_NAMESPACES=()
LAB_LINKS=()
LAB_PIDS=()
LAB_CAPTURES=()
LAB_LAST_PID=
LAB_LAST_LOG=
lab_spawn_count=0

lab_log() {
    printf 'lab: %s\n' "$*" >&2
}

lab_die() {
    printf 'lab: FAIL: %s\n' "$*" >&2
    exit 1
}

lab_skip() {
    printf 'SKIP: %s\n' "$*" >&2
    exit 77
}

lab_require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 ||
            lab_skip "'$c' is not installed (needed by the network lab)"
    done
}

# lab_require_py MODULE...: the lab's python3 imports each module.
lab_require_py() {
    local m
    for m in "$@"; do
        "$LAB_PY" -c "import $m" >/dev/null 2>&1 ||
            lab_skip "$LAB_PY has no module '$m' (Debian: python3-$m)"
    done
}

# Creating and deleting a probe namespace is the only reliable test: a
# container may give root but withhold CAP_SYS_ADMIN.
lab_require_root() {
    [ "$(id -u)" -eq 0 ] ||
        lab_skip "the network lab needs root (network namespaces, iptables)"
    lab_require_cmd ip iptables tcpdump ethtool
    ip netns add "$LAB_PREFIX-probe" 2>/dev/null ||
        lab_skip "'ip netns add' is not permitted here"
    ip netns del "$LAB_PREFIX-probe"
}

lab_nsname() {
    printf '%s-%s\n' "$LAB_PREFIX" "$1"
}

lab_x() {
    local ns
    ns=$(lab_nsname "$1")
    shift
    ip netns exec "$ns" "$@"
}

lab_ipt() {
    local ns=$1
    shift
    lab_x "$ns" iptables -w "$@"
}

# IPv6 is switched off so captures hold only the lab's IPv4 traffic, not
# router solicitations and MLD reports from every new veth.
lab_ns() {
    local ns
    ns=$(lab_nsname "$1")
    ip netns add "$ns" || lab_die "cannot create namespace $ns"
    LAB_NAMESPACES+=("$ns")
    ip -n "$ns" link set lo up
    lab_x "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
}

# A fixed MAC derived from the IPv4 address (02:00:a:b:c:d, locally
# administered) keeps re-recorded captures comparable.
lab_mac() {
    local a b c d
    IFS=. read -r a b c d <<<"${1%/*}"
    printf '02:00:%02x:%02x:%02x:%02x\n' "$a" "$b" "$c" "$d"
}

lab_link() {
    local ns1=$1 if1=$2 a1=$3 ns2=$4 if2=$5 a2=$6
    local n1 n2
    n1=$(lab_nsname "$ns1")
    n2=$(lab_nsname "$ns2")
    ip link add name "$if1" netns "$n1" type veth \
        peer name "$if2" netns "$n2" ||
        lab_die "cannot create veth $ns1/$if1 <-> $ns2/$if2"
    if [ "$a1" != - ]; then
        ip -n "$n1" link set "$if1" address "$(lab_mac "$a1")"
        ip -n "$n1" addr add "$a1" dev "$if1"
    fi
    if [ "$a2" != - ]; then
        ip -n "$n2" link set "$if2" address "$(lab_mac "$a2")"
        ip -n "$n2" addr add "$a2" dev "$if2"
    fi
    LAB_LINKS+=("$ns1 $if1" "$ns2 $if2")
    lab_offloads_off "$ns1" "$if1"
    lab_offloads_off "$ns2" "$if2"
    ip -n "$n1" link set "$if1" up
    ip -n "$n2" link set "$if2" up
}

lab_bridge() {
    local n br=$2 i
    n=$(lab_nsname "$1")
    # No multicast snooping: the bridge would send IGMP reports of its own.
    ip -n "$n" link add "$br" type bridge mcast_snooping 0
    for i in "${@:3}"; do
        ip -n "$n" link set "$i" master "$br"
    done
    ip -n "$n" link set "$br" up
}

# The kernel has no matchall classifier here; u32 with an empty match
# selects every frame (IP, ARP, anything) for the mirred action.
lab_mirror() {
    local ns=$1 dev=$2 mon=$3 dir
    lab_x "$ns" tc qdisc add dev "$dev" clsact
    for dir in ingress egress; do
        lab_x "$ns" tc filter add dev "$dev" "$dir" protocol all u32 \
            match u32 0 0 action mirred egress mirror dev "$mon" ||
            lab_die "tc mirred is not available"
    done
}

lab_addr() {
    ip -n "$(lab_nsname "$1")" addr add "$3" dev "$2"
}

lab_route() {
    ip -n "$(lab_nsname "$1")" route add "$2" via "$3"
}

# Without offloads the kernel hands tcpdump wire-sized frames, as a span
# port would see them, instead of 64 KB GSO super-frames.
lab_offloads_off() {
    local l
    if [ $# -eq 2 ]; then
        lab_x "$1" ethtool -K "$2" tso off gso off gro off \
            >/dev/null 2>&1 || true
        return 0
    fi
    for l in "${LAB_LINKS[@]}"; do
        # shellcheck disable=SC2086 # "NS IF" splits on purpose
        lab_offloads_off $l
    done
}

# A home router: outbound NAT, and nothing new may enter from the WAN.
# Without the firewall, a far end's early RTP would create the conntrack
# entry first and MASQUERADE would remap the phone's source port.
lab_router_nat() {
    local ns=$1 wan=$2
    lab_x "$ns" sysctl -q -w net.ipv4.ip_forward=1
    lab_ipt "$ns" -t nat -A POSTROUTING -o "$wan" -j MASQUERADE
    lab_ipt "$ns" -N lab-faults
    lab_ipt "$ns" -A FORWARD -j lab-faults
    lab_ipt "$ns" -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED \
        -j ACCEPT
    lab_ipt "$ns" -A FORWARD -i "$wan" -m conntrack --ctstate NEW -j DROP
    lab_ipt "$ns" -A INPUT -i "$wan" -m conntrack --ctstate NEW -j DROP
}

# Faults (loss, REJECT, DROP, DSCP changes via -t mangle elsewhere) go in
# their own chain so they act before the firewall's ACCEPT rules.
lab_fault() {
    local ns=$1
    shift
    lab_ipt "$ns" -A lab-faults "$@"
}

# Recent kernels no longer attach helpers automatically; this attaches the
# SIP ALG (nf_conntrack_sip + nf_nat_sip) to SIP over UDP 5060.
lab_sip_alg() {
    lab_ipt "$1" -t raw -A PREROUTING -p udp --dport 5060 -j CT --helper sip
}

# "ip netns exec" bind-mounts /etc/netns/NS/resolv.conf over
# /etc/resolv.conf, so libc resolvers inside NS ask only the lab DNS.
lab_resolv() {
    local d
    d=/etc/netns/$(lab_nsname "$1")
    mkdir -p "$d"
    printf 'nameserver %s\noptions timeout:1 attempts:2\n' "$2" \
        >"$d/resolv.conf"
}

# TEST-NET-3 (RFC 5737) stands for the Internet between router and servers.
lab_home() {
    lab_ns phone
    lab_ns router
    lab_ns inet
    lab_link phone eth0 192.168.1.10/24 router lan0 192.168.1.1/24
    lab_link router wan0 203.0.113.2/24 inet eth0 203.0.113.1/24
    lab_route phone default 192.168.1.1
    lab_route router default 203.0.113.1
    lab_router_nat router wan0
}

lab_cert() {
    local san=DNS:$1 n
    for n in "${@:2}"; do
        san=$san,DNS:$n
    done
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -days 2 -subj "/CN=$1" -addext "subjectAltName=$san" \
        -keyout "$LAB_TMP/lab.key" -out "$LAB_TMP/lab.crt" 2>/dev/null ||
        lab_die "openssl could not make a certificate"
}

lab_spawn() {
    local ns=$1
    shift
    lab_spawn_count=$((lab_spawn_count + 1))
    LAB_LAST_LOG=$LAB_TMP/spawn.$lab_spawn_count.log
    # "ip netns exec" execs the command, so $! is the command itself.
    ip netns exec "$(lab_nsname "$ns")" "$@" >"$LAB_LAST_LOG" 2>&1 &
    LAB_LAST_PID=$!
    LAB_PIDS+=("$LAB_LAST_PID")
}

# Polls the socket table (ss) rather than connecting, so that waiting
# leaves no stray packets in a capture.  PORT may be ADDR:PORT when
# several servers share a port.
lab_wait_listen() {
    local ns=$1 proto=$2 port=$3 secs=${4:-10} i opt=-Hltn filter
    if [ "$proto" = udp ]; then
        opt=-Hlun
    fi
    filter="sport = :$port"
    case $port in
    *:*) filter="src $port" ;;
    esac
    for ((i = 0; i < secs * 10; i++)); do
        if lab_x "$ns" ss "$opt" "$filter" | grep -q .; then
            return 0
        fi
        sleep 0.1
    done
    lab_die "nothing listens on $proto/$port in $ns after ${secs}s"
}

lab_capture_start() {
    local ns=$1 dev=$2 file=$3 i log
    log=$LAB_TMP/tcpdump.${#LAB_CAPTURES[@]}.log
    # -U and --immediate-mode: every packet reaches the file before the
    # capture is stopped; -Z root: keep write access to FILE.
    ip netns exec "$(lab_nsname "$ns")" tcpdump -i "$dev" -w "$file" -U \
        --immediate-mode -Z root -n >/dev/null 2>"$log" &
    LAB_CAPTURES+=("$! $file $log")
    for ((i = 0; i < 100; i++)); do
        grep -qs 'listening on' "$log" && return 0
        sleep 0.05
    done
    lab_die "tcpdump on $ns/$dev did not start: $(cat "$log")"
}

lab_capture_stop() {
    local c pid file log
    [ ${#LAB_CAPTURES[@]} -eq 0 ] && return 0
    sleep 0.5 # let the last frames in flight reach the capture
    for c in "${LAB_CAPTURES[@]}"; do
        read -r pid file log <<<"$c"
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        lab_log "$file: $(grep 'packets captured' "$log")"
    done
    LAB_CAPTURES=()
}

# tshark's io,stat with one interval covering the whole file counts every
# filter in a single pass over the capture.
lab_count() {
    local pcap=$1 spec=io,stat,0 f
    shift
    for f in "$@"; do
        spec=$spec,$f
    done
    tshark -r "$pcap" -q -z "$spec" 2>/dev/null | awk -F'|' '
        /^\| *[0-9.]+ <> / {
            for (i = 3; i < NF; i += 2) {
                gsub(/ /, "", $i)
                printf "%s%s", (i > 3 ? " " : ""), $i
            }
            print ""
        }'
}

lab_cleanup() {
    local rc=$? ns p
    trap - EXIT INT TERM
    set +e # best effort: a failing kill or wait must not stop the cleanup
    lab_capture_stop
    for p in "${LAB_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    sleep 0.2
    # Anything still running inside our namespaces (children of spawned
    # processes, daemons that forked) was started by this run.
    for ns in "${LAB_NAMESPACES[@]}"; do
        for p in $(ip netns pids "$ns" 2>/dev/null); do
            kill -KILL "$p" 2>/dev/null
        done
    done
    for p in "${LAB_PIDS[@]}"; do
        wait "$p" 2>/dev/null
    done
    for ns in "${LAB_NAMESPACES[@]}"; do
        ip netns del "$ns" 2>/dev/null
        rm -rf "/etc/netns/$ns"
    done
    rmdir /etc/netns 2>/dev/null
    if [ "${LAB_KEEP:-0}" = 1 ]; then
        lab_log "scratch files kept in $LAB_TMP"
    else
        rm -rf "$LAB_TMP"
    fi
    return $rc
}

trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
