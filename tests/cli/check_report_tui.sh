#!/usr/bin/env bash
# "report DB --tui": the interface on a database alone shows what the run
# that wrote the database showed.
#   (a) for every lab capture, the --batch 1 text frames of
#       "report DB --tui --batch 1" equal those of the run with -w DB;
#       so do those of a database holding two captures, and --capture N
#       shows that capture only;
#   (b) bad input: --batch 0, no such capture, no terminal;
#   (c) under tmux: the database opens on the Flows screen, Tab switches
#       screens, Enter opens a call with its SIP ladder, which equals the
#       ladder the run on the capture file shows, and q exits with the
#       report's status; Ctrl-C quits as q does, in the database's
#       interface and in a run's.
. "$(dirname "$0")/../golden/lib.sh"

# --- (a) the same frames as the run --------------------------------------
same=0
while read -r pcap; do
    name=$(basename "$pcap" .pcap)
    db=$test_tmp/$name.db
    rc_run=0
    rc_db=0
    (cd "$top_srcdir" && "$RINGSCOPE" -r "$pcap" -w "$db" --batch 1) \
        > "$test_tmp/$name.run" 2> "$test_tmp/$name.run.err" || rc_run=$?
    (cd "$top_srcdir" && "$RINGSCOPE" report "$db" --tui --batch 1) \
        > "$test_tmp/$name.db.out" 2> "$test_tmp/$name.db.err" || rc_db=$?
    if [ "$rc_run" -gt 1 ] || [ ! -s "$test_tmp/$name.run" ]; then
        fail "$name: the run failed (status $rc_run): $(head -c 300 "$test_tmp/$name.run.err")"
    elif [ "$rc_db" != "$rc_run" ]; then
        fail "$name: report --tui status $rc_db, the run's $rc_run: $(head -c 300 "$test_tmp/$name.db.err")"
    elif ! diff -u "$test_tmp/$name.run" "$test_tmp/$name.db.out" \
            > "$test_tmp/$name.diff"; then
        fail "$name: report --tui --batch 1 differs from the run's frames:"
        head -n 30 "$test_tmp/$name.diff"
    elif [ -s "$test_tmp/$name.db.err" ]; then
        fail "$name: messages on standard error: $(head -c 300 "$test_tmp/$name.db.err")"
    else
        same=$((same + 1))
    fi
done < <(list_pcaps | grep -- '\.pcap$')
[ "$same" -gt 0 ] && pass "$same captures: report DB --tui --batch 1 frames equal the run's"

# Two captures in one run and one database: the checklist and header are
# those of the last capture, the flows those of both.
rc_run=0
rc_db=0
(cd "$top_srcdir" && "$RINGSCOPE" -r pcaps/tcp-faults.pcap \
    -r pcaps/sip-alg-lan.pcap -w "$test_tmp/two.db" --batch 1) \
    > "$test_tmp/two.run" 2>&1 || rc_run=$?
(cd "$top_srcdir" && "$RINGSCOPE" report "$test_tmp/two.db" --batch 1) \
    > "$test_tmp/two.db.out" 2>&1 || rc_db=$?
if [ "$rc_run" = "$rc_db" ] && cmp -s "$test_tmp/two.run" "$test_tmp/two.db.out" &&
    grep -q 'sip-alg-lan.pcap' "$test_tmp/two.db.out"; then
    pass "two captures: --batch alone implies --tui; frames equal the run's"
else
    fail "two captures: status $rc_db (run $rc_run); $(diff "$test_tmp/two.run" "$test_tmp/two.db.out" | head -n 20)"
fi
# --capture 1: the frames of tcp-faults.pcap analysed alone.
"$RINGSCOPE" report "$test_tmp/two.db" --capture 1 --tui --batch 1 \
    > "$test_tmp/one.out" 2>&1
if [ -s "$test_tmp/tcp-faults.run" ] &&
    cmp -s "$test_tmp/tcp-faults.run" "$test_tmp/one.out"; then
    pass "--capture 1 shows that capture alone"
else
    fail "--capture 1: $(diff "$test_tmp/tcp-faults.run" "$test_tmp/one.out" | head -n 20)"
fi

# --- (b) bad input --------------------------------------------------------
# expect_usage NAME PATTERN ARGS...: exit status 2 and PATTERN on stderr.
expect_usage() {
    local name=$1 pattern=$2 rc=0
    shift 2
    "$RINGSCOPE" "$@" < /dev/null > "$test_tmp/bad.out" 2> "$test_tmp/bad.err" || rc=$?
    if [ "$rc" -eq 2 ] && grep -q -- "$pattern" "$test_tmp/bad.err" &&
        [ ! -s "$test_tmp/bad.out" ]; then
        pass "$name: $(head -n 1 "$test_tmp/bad.err")"
    else
        fail "$name: status $rc: $(head -c 300 "$test_tmp/bad.err")"
    fi
}
expect_usage "--batch 0" "invalid --batch '0'" report "$test_tmp/two.db" --batch 0
expect_usage "--batch x" "invalid --batch 'x'" report "$test_tmp/two.db" --tui --batch x
expect_usage "no such capture" "has no capture 7" \
    report "$test_tmp/two.db" --capture 7 --tui --batch 1
expect_usage "not a database" "cannot" report "$top_srcdir/pcaps/tcp-faults.pcap" --batch 1
expect_usage "--tui without a terminal" "needs a terminal\|built without" \
    report "$test_tmp/two.db" --tui

# --- (c) keystrokes under tmux ----------------------------------------------
if ! command -v tmux > /dev/null; then
    printf 'SKIP: tmux not installed: keystroke checks not run\n'
    finish
fi
if grep -q 'built without' "$test_tmp/bad.err"; then
    printf 'SKIP: built without the terminal interface\n'
    finish
fi

sock=ringscope-test-$$
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$test_tmp"' EXIT

screen() { tm capture-pane -p -t "$1" 2>/dev/null; }

# wait_for SESSION TEXT: until the screen shows TEXT, at most 10 s.
wait_for() {
    local i
    for i in $(seq 100); do
        screen "$1" | grep -qF -- "$2" && return 0
        sleep 0.1
    done
    return 1
}

# step SESSION NAME TEXT...: the screen shows every TEXT.
step() {
    local s=$1 name=$2 t
    shift 2
    for t in "$@"; do
        if ! wait_for "$s" "$t"; then
            fail "$name: screen lacks '$t':"
            screen "$s" | sed 's/^/    | /'
            return 1
        fi
    done
    pass "$name"
}

# wait_rc FILE: the exit status a session wrote, "none" after 10 s.
wait_rc() {
    local i
    for i in $(seq 100); do
        [ -s "$1" ] && break
        sleep 0.1
    done
    cat "$1" 2>/dev/null || echo none
}

call_db=$test_tmp/sip-plain-nat-lan.db
want=0
"$RINGSCOPE" report "$call_db" -q > /dev/null 2>&1 || want=$?
tm new-session -d -s db -x 120 -y 40 \
    "cd '$top_srcdir' && '$RINGSCOPE' report '$call_db' --tui 2> '$test_tmp/db.err'; echo \$? > '$test_tmp/db.rc'"
step db "database opens on the Flows screen" "[1 Flows]" \
    "pcaps/sip-plain-nat-lan.pcap  done" "provider-media" "drops 0"
tm send-keys -t db Tab
step db "Tab: calls" "[2 Calls]" "8828548d1bb1d0dd" "ended"
tm send-keys -t db Enter
step db "Enter: call detail with its SIP ladder" "> Detail" \
    "SIP messages" "INVITE" "180 Ringing" "BYE" "media ->         251 packets"
screen db > "$test_tmp/db.detail"
tm send-keys -t db Escape
step db "Esc: back to the calls" "[2 Calls]"
tm send-keys -t db Tab
step db "Tab: findings" "[3 Findings]" "icmp_unreachable"
tm send-keys -t db Tab
step db "Tab: compliance" "[4 Compliance]" "RIO-PHONE-ALG"
tm send-keys -t db q
rc=$(wait_rc "$test_tmp/db.rc")
if [ "$rc" = "$want" ]; then
    pass "q: exit status $rc, as report without --tui"
else
    fail "q: exit status $rc, expected $want ($(head -c 300 "$test_tmp/db.err" 2>/dev/null))"
fi
if [ -s "$test_tmp/db.err" ]; then
    fail "messages on standard error: $(head -c 300 "$test_tmp/db.err")"
fi

# Ctrl-C quits like q: the same status, nothing on standard error, and the
# terminal's interrupt character is back afterwards.
tm new-session -d -s cc -x 120 -y 40 \
    "cd '$top_srcdir' && '$RINGSCOPE' report '$call_db' --tui 2> '$test_tmp/cc.err'; echo \$? > '$test_tmp/cc.rc'; stty -a > '$test_tmp/cc.stty'; sleep 30"
step cc "Ctrl-C: the database opens" "[1 Flows]" "drops 0"
tm send-keys -t cc C-c
rc=$(wait_rc "$test_tmp/cc.rc")
if [ "$rc" = "$want" ]; then
    pass "Ctrl-C: exit status $rc, as q"
else
    fail "Ctrl-C: exit status $rc, expected $want ($(head -c 300 "$test_tmp/cc.err" 2>/dev/null))"
fi
if [ -s "$test_tmp/cc.err" ]; then
    fail "Ctrl-C: messages on standard error: $(head -c 300 "$test_tmp/cc.err")"
fi
for i in $(seq 50); do [ -s "$test_tmp/cc.stty" ] && break; sleep 0.1; done
if grep -q 'intr = ^C' "$test_tmp/cc.stty"; then
    pass "Ctrl-C: the terminal's interrupt character is restored"
else
    fail "Ctrl-C: stty after the interface: $(head -c 300 "$test_tmp/cc.stty" 2>/dev/null)"
fi

# The same keys on the run over the capture file show the same detail.
want_run=0
(cd "$top_srcdir" && "$RINGSCOPE" -q -r pcaps/sip-plain-nat-lan.pcap --no-db \
    > /dev/null 2>&1) || want_run=$?
tm new-session -d -s run -x 120 -y 40 \
    "cd '$top_srcdir' && '$RINGSCOPE' -r pcaps/sip-plain-nat-lan.pcap --no-db --tui 2> /dev/null; echo \$? > '$test_tmp/run.rc'"
step run "the run on the file: Flows" "[1 Flows]" "done"
tm send-keys -t run Tab
step run "the run on the file: calls" "[2 Calls]"
tm send-keys -t run Enter
step run "the run on the file: call detail" "> Detail" "200 OK"
screen run > "$test_tmp/run.detail"
if diff -u "$test_tmp/run.detail" "$test_tmp/db.detail" > "$test_tmp/detail.diff"; then
    pass "the call detail and ladder from the database equal the run's"
else
    fail "the call detail from the database differs from the run's:"
    head -n 30 "$test_tmp/detail.diff"
fi
# A run quits on Ctrl-C as on q, with the run's own status.
tm send-keys -t run C-c
rc=$(wait_rc "$test_tmp/run.rc")
if [ "$rc" = "$want_run" ]; then
    pass "Ctrl-C in a run: exit status $rc, as without --tui"
else
    fail "Ctrl-C in a run: exit status $rc, expected $want_run"
fi
finish
