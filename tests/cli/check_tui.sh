#!/usr/bin/env bash
# The interactive interface: the --batch text frames of a capture against
# the reviewed tui-batch.expected, then the real terminal interface under
# tmux, driven by keystrokes and checked screen by screen.
#   check_tui.sh            check
#   check_tui.sh --update   rewrite tui-batch.expected (review the diff)
. "$(dirname "$0")/../golden/lib.sh"

expected=$top_srcdir/tests/cli/tui-batch.expected

# --- (a) text frames ---------------------------------------------------
# The exit status (1: a requirement failed) is part of the expected text.
rc=0
(cd "$top_srcdir" && "$RINGSCOPE" -r pcaps/tcp-faults.pcap --no-db --batch 1) \
    > "$test_tmp/batch.out" 2> "$test_tmp/batch.err" || rc=$?
printf 'exit %d\n' "$rc" >> "$test_tmp/batch.out"
if [ "${1:-}" = "--update" ]; then
    cp "$test_tmp/batch.out" "$expected"
    printf 'updated %s\n' "$expected"
    exit 0
fi
if [ "$rc" -gt 1 ]; then
    fail "--batch 1: exit status $rc: $(head -c 300 "$test_tmp/batch.err")"
elif diff -u "$expected" "$test_tmp/batch.out" > "$test_tmp/diff"; then
    pass "--batch 1 frames match tui-batch.expected"
else
    fail "--batch 1 frames differ from tui-batch.expected:"
    head -n 60 "$test_tmp/diff"
fi
if grep -q "$(printf '\033')" "$test_tmp/batch.out"; then
    fail "--batch output holds an escape character"
fi
# Two frames of a file: one while reading (a second of packet time in),
# then the finished analysis; the same twice in a row.
(cd "$top_srcdir" && "$RINGSCOPE" -r pcaps/tcp-faults.pcap --no-db --batch 2) \
    > "$test_tmp/batch2.out" 2>&1
(cd "$top_srcdir" && "$RINGSCOPE" -r pcaps/tcp-faults.pcap --no-db --batch 2) \
    > "$test_tmp/batch2b.out" 2>&1
n=$(grep -c '^-- frame [12]: Flows --$' "$test_tmp/batch2.out")
if [ "$n" = 2 ] && grep -q 'reading' "$test_tmp/batch2.out" &&
    cmp -s "$test_tmp/batch2.out" "$test_tmp/batch2b.out"; then
    pass "--batch 2 prints a frame while reading, then the final one, deterministically"
else
    fail "--batch 2: $n Flows frames: $(head -c 300 "$test_tmp/batch2.out")"
fi
# Without a terminal, --tui refuses clearly.
rc=0
"$RINGSCOPE" -r "$top_srcdir/pcaps/tcp-faults.pcap" --no-db --tui \
    < /dev/null > "$test_tmp/notty.out" 2> "$test_tmp/notty.err" || rc=$?
if [ "$rc" -eq 2 ] && grep -q 'needs a terminal\|built without' "$test_tmp/notty.err"; then
    pass "--tui without a terminal: $(head -n 1 "$test_tmp/notty.err")"
else
    fail "--tui without a terminal: status $rc: $(head -c 300 "$test_tmp/notty.err")"
fi

# --- (b) keystrokes under tmux ------------------------------------------
if ! command -v tmux > /dev/null; then
    printf 'SKIP: tmux not installed: keystroke checks not run\n'
    finish
fi
if grep -q 'built without' "$test_tmp/notty.err"; then
    printf 'SKIP: built without the terminal interface\n'
    finish
fi

sock=ringscope-test-$$
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$test_tmp"' EXIT

# q ends the run with the status the same analysis has without --tui.
want=0
"$RINGSCOPE" -q -r "$top_srcdir/pcaps/web-signaling.pcap" --no-db \
    > /dev/null 2>&1 || want=$?
tm new-session -d -s tui -x 100 -y 30 \
    "cd '$top_srcdir' && '$RINGSCOPE' -r pcaps/web-signaling.pcap --no-db --tui 2> '$test_tmp/tui.err'; echo \$? > '$test_tmp/tui.rc'"

screen() { tm capture-pane -p -t tui 2>/dev/null; }

# wait_for TEXT: until the screen shows TEXT (fixed string), at most 10 s.
wait_for() {
    local i
    for i in $(seq 100); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

# step NAME TEXT...: the screen shows every TEXT.
step() {
    local name=$1 t
    shift
    for t in "$@"; do
        if ! wait_for "$t"; then
            fail "$name: screen lacks '$t':"
            screen | sed 's/^/    | /'
            return 1
        fi
    done
    pass "$name"
}

# absent NAME TEXT: the screen does not show TEXT.
absent() {
    if screen | grep -qF -- "$2"; then
        fail "$1: screen still shows '$2'"
    else
        pass "$1"
    fi
}

step "finished analysis stays on screen" "[1 Flows]" "done" \
    "provider-xmpp" "Bytes c/s v" "? help  q quit"
tm send-keys -t tui Tab
step "Tab: calls" "[2 Calls]" "no SIP calls to show"
tm send-keys -t tui Tab
step "Tab: findings" "[3 Findings]" "Severity"
tm send-keys -t tui 1
step "1: flows again" "[1 Flows]"
tm send-keys -t tui s
step "s: sort by the next column" "Retr v"
tm send-keys -t tui /
step "/: filter prompt" "Filter: _"
tm send-keys -t tui -l xmpp
step "filter narrows while typing" "Filter: xmpp_" "2/14"
tm send-keys -t tui Enter
step "Enter keeps the filter" "/xmpp/" "2/14"
tm send-keys -t tui Enter
step "Enter: flow detail" "> Detail" "Flow 192.168.1.10:" "client->server"
tm send-keys -t tui '?'
step "?: help" "> Help" "sort by the next column"
tm send-keys -t tui Escape
step "Esc: help closed" "> Detail"
tm send-keys -t tui Escape
step "Esc: back to the list" "[1 Flows]" "/xmpp/"
absent "detail closed" "> Detail"
tm resize-window -t tui -x 80 -y 24
step "resize to 80x24: redrawn" "Retr v" "[1 Flows]"
absent "resize to 80x24: narrower columns" "TCP state"
tm send-keys -t tui q
for i in $(seq 100); do
    [ -s "$test_tmp/tui.rc" ] && break
    sleep 0.1
done
rc=$(cat "$test_tmp/tui.rc" 2>/dev/null || echo none)
if [ "$rc" = "$want" ]; then
    pass "q: exit status $rc, as without --tui"
else
    fail "q: exit status $rc, expected $want ($(head -c 300 "$test_tmp/tui.err" 2>/dev/null))"
fi
if [ -s "$test_tmp/tui.err" ]; then
    fail "messages on standard error: $(head -c 300 "$test_tmp/tui.err")"
fi
finish
