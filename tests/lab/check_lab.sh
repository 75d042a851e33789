#!/bin/bash
# tests/lab/check_lab.sh: the network lab works end to end (automake test).
#
# Runs web_signaling.sh into a scratch directory and checks with tshark
# that the capture holds exactly the intended conversations: one TCP
# connection to each of the seven servers, and DNS over UDP only to the
# lab resolver.  Exit 77 (SKIP) without root, network namespaces or one of
# the peers; the reason goes to the log.
set -u
srcdir=${top_srcdir:-$(dirname "$0")/../..}
lab=$srcdir/tests/lab
tshark=${TSHARK:-tshark}
command -v "$tshark" >/dev/null 2>&1 || {
    echo "SKIP: tshark is not installed" >&2
    exit 77
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ringscope-check-lab.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$lab/web_signaling.sh" "$tmp"
rc=$?
[ $rc -eq 0 ] || exit $rc # 77 (SKIP) passes through

pcap=$tmp/web-signaling.pcap
[ -s "$pcap" ] || {
    echo "FAIL: $pcap is missing or empty" >&2
    exit 1
}

# "-z conv" prints one "A:port <-> B:port ..." line per conversation; keep
# the end that is not the phone, sorted, so ephemeral ports do not matter.
servers() {
    "$tshark" -r "$pcap" -q -z "conv,$1" 2>/dev/null |
        awk '$2 == "<->" { print ($1 ~ /^192\.168\.1\.10:/) ? $3 : $1 }' |
        sort
}
want_tcp='199.7.173.10:443
199.7.173.10:5222
199.7.173.10:5280
199.7.173.10:80
54.172.61.20:443
54.172.61.21:443
54.172.61.22:443'
got_tcp=$(servers tcp)
if [ "$got_tcp" != "$want_tcp" ]; then
    printf 'FAIL: TCP conversations:\n%s\nexpected:\n%s\n' \
        "$got_tcp" "$want_tcp" >&2
    exit 1
fi
got_udp=$(servers udp | uniq -c | awk '{ print $2, $1 }')
# Five A queries by the client, then A and AAAA by the XMPP client.
if [ "$got_udp" != "198.51.100.53:53 7" ]; then
    printf 'FAIL: UDP conversations: %s\n' "$got_udp" >&2
    exit 1
fi
echo "PASS: lab capture has the 7 TCP and 7 DNS conversations"
