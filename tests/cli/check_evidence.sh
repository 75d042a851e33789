#!/usr/bin/env bash
# --evidence DIR: each failing requirement of a faulty lab capture gets
# DIR/<requirement>.pcap, which tshark opens and which holds exactly the
# frames of the verdict's evidence flows (tshark's display filter on the
# original capture for those flows' addresses and ports, from the frame
# that opened each flow to its last one, plus packets named on their own):
# same count, timestamps, lengths, MAC and IP source and IP ID, in order.
# A compliant capture writes no file; several captures append; live
# capture is refused.
. "$(dirname "$0")/../golden/lib.sh"

[ -n "$TSHARK" ] || skip "tshark not installed"
[ -n "$SQLITE3" ] || skip "sqlite3 not installed"

# The tshark filter for one evidence item ("flow ID packet N", "flow ID",
# "packet N") of capture database $1.
item_filter() {
    local db=$1 item=$2 flow packet row
    flow=$(printf '%s\n' "$item" | sed -n 's/^flow \([0-9]*\).*/\1/p')
    packet=$(printf '%s\n' "$item" | sed -n 's/.*packet \([0-9]*\)$/\1/p')
    local out=
    if [ -n "$flow" ]; then
        row=$("$SQLITE3" -separator ' ' "$db" "SELECT ip_version, proto,
            client_ip, client_port, server_ip, server_port, vlan,
            first_packet, printf('%.6f', last_ts + 0.0000005)
            FROM flows WHERE id = $flow")
        [ -n "$row" ] || { echo "NO_FLOW_$flow"; return; }
        set -- $row
        local ip=ip l4
        [ "$1" = 6 ] && ip=ipv6
        case $2 in 6) l4=tcp ;; 17) l4=udp ;; *) l4= ;; esac
        local fwd="$ip.src == $3 && $ip.dst == $5"
        local rev="$ip.src == $5 && $ip.dst == $3"
        if [ -n "$l4" ]; then
            fwd="$fwd && $l4.srcport == $4 && $l4.dstport == $6"
            rev="$rev && $l4.srcport == $6 && $l4.dstport == $4"
        fi
        local span="frame.number >= $8 && frame.time_epoch <= $9"
        [ "$7" != 0 ] && span="$span && vlan.id == $7"
        out="((($fwd) || ($rev)) && $span)"
    fi
    [ -n "$packet" ] && out="${out:+$out || }frame.number == $packet"
    printf '%s\n' "$out"
}

frames_of() {
    "$TSHARK" -r "$1" ${2:+-Y "$2"} -T fields -e frame.time_epoch \
        -e frame.len -e frame.cap_len -e eth.src -e ip.id -e ip.src \
        2>"$test_tmp/tshark.err"
}

# check_capture NAME: runs with --evidence and checks every failing
# requirement's file against tshark.
check_capture() {
    local name=$1 pcap=$top_srcdir/pcaps/$1.pcap
    local db=$test_tmp/$name.db dir=$test_tmp/ev-$name rc
    "$RINGSCOPE" -q -w "$db" --evidence "$dir" -r "$pcap"
    rc=$?
    [ "$rc" = 1 ] || fail "$name: exit status $rc, expected 1"
    local reqs
    reqs=$("$SQLITE3" "$db" "SELECT DISTINCT requirement FROM requirements
                             WHERE verdict = 'FAIL' ORDER BY 1")
    [ -n "$reqs" ] || { fail "$name: no failing requirement"; return; }
    local nfiles
    nfiles=$(ls "$dir" | wc -l)
    [ "$nfiles" = "$(printf '%s\n' "$reqs" | wc -l)" ] \
        || fail "$name: $nfiles files for $(echo $reqs)"
    local req
    for req in $reqs; do
        local ev out filter="" item
        out=$dir/$req.pcap
        [ -f "$out" ] || { fail "$name: no $req.pcap"; continue; }
        ev=$("$SQLITE3" "$db" "SELECT evidence FROM requirements WHERE
                               verdict = 'FAIL' AND requirement = '$req'
                               LIMIT 1")
        while IFS= read -r item; do
            [ -n "$item" ] || continue
            filter="${filter:+$filter || }$(item_filter "$db" "$item")"
        done < <(printf '%s\n' "$ev" | sed 's/, /\n/g')
        frames_of "$out" > "$test_tmp/got" \
            || { fail "$name: tshark cannot read $req.pcap:" \
                      "$(cat "$test_tmp/tshark.err")"; continue; }
        frames_of "$pcap" "$filter" > "$test_tmp/want" \
            || { fail "$name: filter failed: $filter"; continue; }
        if [ ! -s "$test_tmp/want" ]; then
            fail "$name $req: the filter matched nothing: $filter"
        elif cmp -s "$test_tmp/got" "$test_tmp/want"; then
            pass "$name $req: $(wc -l < "$test_tmp/got") frames ($ev)"
        else
            fail "$name $req: frames differ from tshark's for $filter"
            diff "$test_tmp/want" "$test_tmp/got" | head -5
        fi
    done
}

check_capture sip-alg-lan
check_capture tcp-faults
check_capture rtp-one-way-lan
check_capture sip-double-nat-lan

# A compliant capture: exit 0, nothing written.
dir=$test_tmp/ev-ok
"$RINGSCOPE" -q --no-db --evidence "$dir" \
    -r "$top_srcdir/pcaps/web-signaling.pcap"
rc=$?
[ "$rc" = 0 ] && pass "compliant capture exits 0" \
    || fail "compliant capture exits $rc"
[ -d "$dir" ] && [ -z "$(ls -A "$dir")" ] \
    && pass "compliant capture writes no evidence file" \
    || fail "compliant capture wrote: $(ls -A "$dir" 2>&1)"

# Two captures failing the same requirement: one file, the first
# capture's frames and then the second's.
dir=$test_tmp/ev-two
"$RINGSCOPE" -q --no-db --evidence "$dir" \
    -r "$top_srcdir/pcaps/sip-no-response-lan.pcap" \
    -r "$top_srcdir/pcaps/sip-double-nat-lan.pcap"
"$RINGSCOPE" -q --no-db --evidence "$test_tmp/ev-a" \
    -r "$top_srcdir/pcaps/sip-no-response-lan.pcap"
frames_of "$test_tmp/ev-a/RIO-PHONE-UDP.pcap" > "$test_tmp/want"
frames_of "$test_tmp/ev-sip-double-nat-lan/RIO-PHONE-UDP.pcap" \
    >> "$test_tmp/want"
frames_of "$dir/RIO-PHONE-UDP.pcap" > "$test_tmp/got"
if [ -s "$test_tmp/got" ] && cmp -s "$test_tmp/got" "$test_tmp/want"; then
    pass "two captures append to one file ($(wc -l < "$test_tmp/got") frames)"
else
    fail "two captures: appended file differs"
fi

# Live capture is refused before any interface is opened; so is a
# directory that cannot be made.
out=$("$RINGSCOPE" -i lo --evidence "$test_tmp/ev-live" 2>&1)
rc=$?
[ "$rc" = 2 ] && printf '%s' "$out" |
    grep -q -- '--evidence needs capture files' \
    && pass "--evidence with -i is a usage error" \
    || fail "--evidence with -i: status $rc, '$out'"
out=$("$RINGSCOPE" --evidence "$test_tmp/ev-stdin" -r - < /dev/null 2>&1)
rc=$?
[ "$rc" = 2 ] && printf '%s' "$out" | grep -q 'cannot read standard input' \
    && pass "--evidence with -r - is a usage error" \
    || fail "--evidence with -r -: status $rc, '$out'"
[ ! -e "$test_tmp/ev-live" ] && [ ! -e "$test_tmp/ev-stdin" ] \
    && pass "refused runs create no directory" \
    || fail "a refused run created its evidence directory"
out=$("$RINGSCOPE" -q --no-db --evidence "$test_tmp/no/such" \
    -r "$top_srcdir/pcaps/tcp-faults.pcap" 2>&1)
rc=$?
[ "$rc" = 2 ] && printf '%s' "$out" |
    grep -q 'cannot create evidence directory' \
    && pass "unusable evidence directory is an error" \
    || fail "unusable evidence directory: status $rc, '$out'"
finish
