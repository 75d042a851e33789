#!/usr/bin/env bash
# The HTML page in a real browser (headless Chromium): it loads without a
# console message (a blocked fetch or script would log one under the
# page's Content-Security-Policy), its DOM has the verdict table and a
# ladder diagram with arrows, and a screenshot is a PNG that shows the
# verdict colours.  Skipped without chromium.
. "$(dirname "$0")/../golden/lib.sh"

t=$test_tmp
pcap=$top_srcdir/pcaps/rtp-loss-qos-lan.pcap
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || skip "chromium not installed"
command -v python3 >/dev/null || skip "python3 not installed"
[ -f "$pcap" ] || skip "pcaps/ incomplete"

rc=0
"$RINGSCOPE" -q -r "$pcap" --no-db --html "$t/page.html" 2>"$t/rs.err" || rc=$?
[ "$rc" -le 1 ] || { fail "ringscope: exit status $rc: $(cat "$t/rs.err")"; finish; }

# chromium ARGS...: headless, isolated and offline as far as flags go;
# stdout to $t/out, stderr to $t/err.
chromium() {
    local profile
    profile=$(mktemp -d "$t/profile.XXXXXX")
    timeout -s KILL 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" >"$t/out" 2>"$t/err"
}

# --- the DOM, and the console --------------------------------------------
if ! chromium --enable-logging=stderr --v=0 --dump-dom "file://$t/page.html"; then
    fail "chromium --dump-dom failed: $(tail -n 5 "$t/err")"
    finish
fi
cp "$t/out" "$t/dom.html"
if grep -E 'CONSOLE|Refused to' "$t/err" > "$t/console"; then
    fail "console messages: $(head -n 5 "$t/console")"
else
    pass "no console message"
fi
grep -q '<table class="verdicts">' "$t/dom.html" &&
    pass "DOM: the verdict table" || fail "DOM: no verdict table"
grep -q '<span class="badge fail">FAIL</span>' "$t/dom.html" &&
    pass "DOM: a FAIL verdict" || fail "DOM: no FAIL badge"
grep -q '<svg class="ladder"' "$t/dom.html" && pass "DOM: a ladder <svg>" ||
    fail "DOM: no ladder"
arrows=$(grep -o '<g class="msg[^"]*"><title>[^<]*</title><text[^>]*>[^<]*</text><line [^>]*></line><polygon' \
    "$t/dom.html" | wc -l)
[ "$arrows" -ge 4 ] && pass "DOM: $arrows arrows with heads" ||
    fail "DOM: $arrows arrows"
grep -q '<svg class="plot"' "$t/dom.html" && pass "DOM: plots" ||
    fail "DOM: no plot"

# --- a screenshot -----------------------------------------------------------
if ! chromium --screenshot="$t/shot.png" --window-size=1280,2000 \
        "file://$t/page.html" || [ ! -s "$t/shot.png" ]; then
    fail "chromium --screenshot failed: $(tail -n 5 "$t/err")"
    finish
fi
if out=$(python3 - "$t/shot.png" <<'PY'
import struct
import sys
import zlib

data = open(sys.argv[1], 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
    sys.exit('not a PNG')
pos, idat, ihdr = 8, b'', None
while pos < len(data):
    n, = struct.unpack('>I', data[pos:pos + 4])
    kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
    crc, = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])
    if zlib.crc32(kind + body) & 0xffffffff != crc:
        sys.exit('bad CRC in %r' % kind)
    if kind == b'IHDR':
        ihdr = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
w, h, depth, ctype = ihdr[:4]
if (w, h) != (1280, 2000) or depth != 8 or ctype not in (2, 6):
    sys.exit('unexpected image %dx%d depth %d type %d' % (w, h, depth, ctype))
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = {}
i = 0
for y in range(h):
    f = raw[i]
    line = bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1:
            line[x] = (line[x] + a) & 255
        elif f == 2:
            line[x] = (line[x] + b) & 255
        elif f == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + pr) & 255
    for x in range(0, stride, bpp):
        px = bytes(line[x:x + 3])
        colours[px] = colours.get(px, 0) + 1
    prev = line
errors = []
if len(colours) < 50:
    errors.append('only %d colours' % len(colours))
top = max(colours.values())
if top > 0.97 * w * h:
    errors.append('one colour covers %d of %d pixels' % (top, w * h))
# The badges' backgrounds (report_html.c): PASS, FAIL, NOT OBSERVED, and
# the report's dark header.
for name, rgb in (('PASS', (0x1a, 0x7f, 0x37)), ('FAIL', (0xcf, 0x22, 0x2e)),
                  ('NOT OBSERVED', (0x9a, 0x67, 0x00)),
                  ('header', (0x0d, 0x11, 0x17))):
    if colours.get(bytes(rgb), 0) < 100:
        errors.append('%s colour: %d pixels' % (name, colours.get(bytes(rgb), 0)))
print('; '.join(errors) or '%d colours' % len(colours))
sys.exit(1 if errors else 0)
PY
); then
    pass "screenshot: $out, verdict colours present"
else
    fail "screenshot: $out"
fi

finish
