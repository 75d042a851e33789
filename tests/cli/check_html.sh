#!/usr/bin/env bash
# The HTML page (--html, report DB --html): the run and the database give
# the same bytes; --html changes nothing else a run prints or writes; two
# captures make one page with two sections; errors are reported; and a
# hostile call (markup, terminal escapes and bidirectional overrides in
# its Call-ID, User-Agent and reason phrases) stays text.
. "$(dirname "$0")/../golden/lib.sh"

t=$test_tmp
command -v python3 >/dev/null || skip "python3 not installed"
[ -x "$RINGSCOPE" ] || skip "no ringscope program at '$RINGSCOPE'"
for c in sip-alg-lan rtp-one-way-lan rtp-loss-qos-lan webrtc-media; do
    [ -f "$top_srcdir/pcaps/$c.pcap" ] || skip "pcaps/ incomplete"
done

# run NAME WANT ARGS...: ringscope ARGS; the exit status must match the
# regex WANT.
run() {
    local name=$1 want=$2 rc=0
    shift 2
    "$RINGSCOPE" "$@" >"$t/$name.out" 2>"$t/$name.err" || rc=$?
    if [[ "$rc" =~ ^($want)$ ]]; then
        pass "$name: exit status $rc"
    else
        fail "$name: exit status $rc, expected $want: $(head -c 300 "$t/$name.err")"
    fi
}

# same_page NAME A B: byte-identical pages.
same_page() {
    if [ -s "$2" ] && cmp -s "$2" "$3"; then
        pass "$1: the run and report DB write the same page"
    else
        fail "$1: pages differ: $(diff "$2" "$3" | head -n 10)"
    fi
}

# --- the run and the database agree --------------------------------------
for c in sip-alg-lan rtp-one-way-lan rtp-loss-qos-lan webrtc-media; do
    run "$c" '0|1' -r "$top_srcdir/pcaps/$c.pcap" -w "$t/$c.db" \
        --json "$t/$c.json" --html "$t/$c.html"
    run "$c-db" '0|1' report "$t/$c.db" --html "$t/$c.db.html"
    same_page "$c" "$t/$c.html" "$t/$c.db.html"
    # The report DB text is the same with and without --html.
    run "$c-db-plain" '0|1' report "$t/$c.db"
    cmp -s "$t/$c-db.out" "$t/$c-db-plain.out" &&
        pass "$c: --html leaves report DB's text alone" ||
        fail "$c: report DB text changed by --html"
done

# --html changes neither the text report nor the database.
run plain '0|1' -r "$top_srcdir/pcaps/sip-alg-lan.pcap" -w "$t/plain.db"
cmp -s "$t/plain.out" "$t/sip-alg-lan.out" &&
    pass "--html leaves the text report alone" ||
    fail "--html changed the text report: $(diff "$t/plain.out" "$t/sip-alg-lan.out" | head -n 5)"
if [ -n "$SQLITE3" ]; then
    for q in "SELECT count(*) FROM sip_messages" "SELECT count(*) FROM rtp_samples" \
             "SELECT sum(packets) FROM rtp_streams"; do
        a=$("$SQLITE3" "$t/plain.db" "$q")
        b=$("$SQLITE3" "$t/sip-alg-lan.db" "$q")
        [ "$a" = "$b" ] && pass "same database with --html: $q = $a" ||
            fail "database differs with --html: $q: $a vs $b"
    done
    # The time series adds up to the streams (rtp_samples, schema.sql).
    got=$("$SQLITE3" "$t/rtp-loss-qos-lan.db" "
        SELECT count(*) FROM rtp_streams s WHERE packets != (
            SELECT sum(packets) FROM rtp_samples p WHERE p.flow_id = s.flow_id
               AND p.ssrc = s.ssrc AND p.direction = s.direction)
         OR lost != (SELECT sum(lost) FROM rtp_samples p
             WHERE p.flow_id = s.flow_id AND p.ssrc = s.ssrc
               AND p.direction = s.direction)")
    [ "$got" = 0 ] && pass "rtp_samples add up to rtp_streams" ||
        fail "$got streams whose samples do not add up"
    got=$("$SQLITE3" "$t/rtp-loss-qos-lan.db" "SELECT sum(lost) FROM rtp_samples")
    [ "$got" -gt 0 ] && pass "rtp_samples show the loss ($got)" ||
        fail "rtp_samples show no loss on rtp-loss-qos-lan"
fi

# What the page shows for a call: a ladder with arrows, both streams.
grep -q '<svg class="ladder"' "$t/sip-alg-lan.html" &&
    [ "$(grep -c '<g class="msg' "$t/sip-alg-lan.html")" -ge 4 ] &&
    pass "sip-alg-lan: a ladder with arrows" ||
    fail "sip-alg-lan: no ladder"
grep -q 'ONE-WAY MEDIA caller' "$t/rtp-one-way-lan.html" &&
    pass "rtp-one-way-lan: the call is marked one-way" ||
    fail "rtp-one-way-lan: no one-way mark"
if grep -q 'ONE-WAY' "$t/rtp-loss-qos-lan.html"; then
    fail "rtp-loss-qos-lan: a two-way call marked one-way"
else
    pass "rtp-loss-qos-lan: two-way call not marked"
fi
grep -q 'class="bar"' "$t/rtp-loss-qos-lan.html" &&
    pass "rtp-loss-qos-lan: loss plotted" || fail "rtp-loss-qos-lan: no loss bars"

# --- one page for two captures; standard output; errors -----------------
run two '0|1' -q -r "$top_srcdir/pcaps/sip-alg-lan.pcap" \
    -r "$top_srcdir/pcaps/rtp-one-way-lan.pcap" --no-db --html "$t/two.html"
[ "$(grep -c '<section class="capture">' "$t/two.html")" = 2 ] &&
    grep -q '<p>2 captures</p>' "$t/two.html" &&
    pass "two captures, one page" || fail "two captures: wrong sections"
# Two captures in one database: the same page again.
run two-db '0|1' -q -r "$top_srcdir/pcaps/sip-alg-lan.pcap" \
    -r "$top_srcdir/pcaps/rtp-loss-qos-lan.pcap" -w "$t/two.db" \
    --html "$t/two-run.html"
run two-db-report '0|1' report "$t/two.db" -q --html "$t/two-db.html"
same_page "two captures" "$t/two-run.html" "$t/two-db.html"
run one-of-two '0|1' report "$t/two.db" -q --capture 2 --html "$t/second.html"
[ "$(grep -c '<section class="capture">' "$t/second.html")" = 1 ] &&
    grep -q 'rtp-loss-qos-lan.pcap' "$t/second.html" &&
    pass "report DB --capture 2 --html: that capture only" ||
    fail "report DB --capture 2 --html"
run stdout '0|1' -q -r "$top_srcdir/pcaps/rtp-one-way-lan.pcap" --no-db --html -
head -n 1 "$t/stdout.out" | grep -qx '<!DOCTYPE html>' &&
    tail -n 1 "$t/stdout.out" | grep -qx '</html>' &&
    pass "--html -: the page on standard output" ||
    fail "--html -: $(head -c 100 "$t/stdout.out")"
run unwritable 2 -q -r "$top_srcdir/pcaps/rtp-one-way-lan.pcap" --no-db \
    --html "$t/no/such/dir/x.html"
grep -q "cannot write '$t/no/such/dir/x.html'" "$t/unwritable.err" &&
    pass "unwritable --html named" || fail "unwritable: $(cat "$t/unwritable.err")"
run db-unwritable 2 report "$t/sip-alg-lan.db" -q --html "$t/no/x.html"
run html-noarg 2 report "$t/sip-alg-lan.db" --html

# --- a hostile call -------------------------------------------------------
python3 - "$top_srcdir/tests/hostile" "$t/hostile.pcap" <<'PY' ||
import struct
import sys

sys.path.insert(0, sys.argv[1])
import make_hostile as mh

A, B = (10, 0, 0, 1), (192, 0, 2, 10)
CALL_ID = (b'<img src=x onerror=alert(1)>\x1b[31m\xe2\x80\xaeevil'
           b'"\'&@10.0.0.1')
UA = b"<script>alert('ua')</script>\x1b]0;pwned\x07 \xff\xfe"


def sdp(ip, port):
    body = (b'v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n'
            b'm=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n'
            % (ip, ip, port))
    return body


def msg(first, cseq, extra=b'', body=b''):
    head = (first + b'\r\n'
            b'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-h' + cseq[:1] +
            b'\r\nFrom: <sip:alice@10.0.0.1>;tag=a1\r\n'
            b'To: <sip:bob@192.0.2.10>' +
            (b'' if first.startswith(b'INVITE') else b';tag=b1') + b'\r\n'
            b'Call-ID: ' + CALL_ID + b'\r\nCSeq: ' + cseq + b'\r\n'
            b'User-Agent: ' + UA + b'\r\n' + extra)
    if body:
        head += b'Content-Type: application/sdp\r\n'
    return head + b'Content-Length: %d\r\n\r\n' % len(body) + body


def rtp(seq, ssrc):
    return struct.pack('!BBHII', 0x80, 0, seq, seq * 160, ssrc) + b'\xd5' * 160


p = mh.Pcap(sys.argv[2])
p.add(mh.eth_udp(A, B, 5060, 5060, msg(
    b'INVITE sip:bob@192.0.2.10 SIP/2.0', b'1 INVITE',
    b'Contact: <sip:alice@10.0.0.1:5060>\r\n', sdp(b'10.0.0.1', 4000))))
p.add(mh.eth_udp(B, A, 5060, 5060, msg(
    b'SIP/2.0 180 Ringing "><iframe srcdoc=x></iframe>', b'1 INVITE')),
    10000)
p.add(mh.eth_udp(B, A, 5060, 5060, msg(
    b'SIP/2.0 200 OK <style>body{display:none}</style>', b'1 INVITE',
    b'Contact: <sip:bob@192.0.2.10:5060>\r\n', sdp(b'192.0.2.10', 30000))),
    10000)
p.add(mh.eth_udp(A, B, 5060, 5060, msg(
    b'ACK sip:bob@192.0.2.10 SIP/2.0', b'1 ACK')), 10000)
for i in range(200):
    if i % 2 == 0:
        p.add(mh.eth_udp(A, B, 4000, 30000, rtp(i // 2, 0x1234)), 10000)
    else:
        p.add(mh.eth_udp(B, A, 30000, 4000, rtp(i // 2, 0x5678)), 10000)
p.add(mh.eth_udp(A, B, 5060, 5060, msg(
    b'BYE sip:bob@192.0.2.10 SIP/2.0', b'2 BYE')), 10000)
p.add(mh.eth_udp(B, A, 5060, 5060, msg(
    b'SIP/2.0 200 <b>bye</b>', b'2 BYE')), 10000)
p.close()
PY
    { fail "cannot write the hostile capture"; finish; }

run hostile '0|1' -r "$t/hostile.pcap" -w "$t/hostile.db" --html "$t/hostile.html"
run hostile-db '0|1' report "$t/hostile.db" -q --html "$t/hostile.db.html"
same_page hostile "$t/hostile.html" "$t/hostile.db.html"
grep -q '<svg class="ladder"' "$t/hostile.html" &&
    [ "$(grep -c '<g class="msg' "$t/hostile.html")" -eq 6 ] &&
    pass "hostile: the call is drawn (6 messages)" ||
    fail "hostile: the hostile call is not drawn"
for text in '&lt;img src=x onerror=alert(1)&gt;\x1b[31m\u202eevil&quot;&#39;&amp;' \
            "&lt;script&gt;alert(&#39;ua&#39;)&lt;/script&gt;\\x1b]0;pwned\\x07 \\xff\\xfe" \
            '200 OK &lt;style&gt;' '180 Ringing &quot;&gt;&lt;iframe'; do
    grep -qF -- "$text" "$t/hostile.html" && pass "hostile: shown as $text" ||
        fail "hostile: '$text' not in the page"
done
if out=$(python3 - "$t/hostile.html" <<'PY'
import html.parser
import sys

data = open(sys.argv[1], 'rb').read()
errors = []
for bad, name in ((b'\x1b', 'ESC'), (b'\x07', 'BEL'),
                  (b'\xe2\x80\xae', 'U+202E'), (b'\xff', 'invalid UTF-8')):
    if bad in data:
        errors.append('raw ' + name)
allowed = {'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1',
           'h2', 'h3', 'h4', 'p', 'main', 'section', 'dl', 'dt', 'dd',
           'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
           'details', 'summary', 'article', 'div', 'br', 'svg', 'text',
           'line', 'polygon', 'path', 'g', 'rect', 'polyline', 'circle',
           'figure', 'figcaption', 'footer'}
counts = {}


class Check(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        counts[tag] = counts.get(tag, 0) + 1
        if tag not in allowed:
            errors.append('element <%s>' % tag)
        for name, _ in attrs:
            if name.startswith('on') or name in ('src', 'href', 'srcdoc'):
                errors.append('attribute %s on <%s>' % (name, tag))


Check().feed(data.decode('utf-8'))
if counts.get('style') != 1:
    errors.append('%d <style> elements' % counts.get('style', 0))
print('; '.join(errors))
sys.exit(1 if errors else 0)
PY
); then
    pass "hostile: no markup from the capture, no raw control bytes"
else
    fail "hostile: $out"
fi

finish
