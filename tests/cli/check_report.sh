#!/usr/bin/env bash
# The compliance report: verdicts and exit status on a capture with
# blocked connections and on a clean one, the JSON document against its
# documented shape, and "ringscope report DB" rendering the same
# requirements from the database alone.
. "$(dirname "$0")/../golden/lib.sh"

t=$test_tmp
faults=$top_srcdir/pcaps/tcp-faults.pcap
clean=$top_srcdir/pcaps/web-signaling.pcap
[ -f "$faults" ] && [ -f "$clean" ] || skip "pcaps/ incomplete"
command -v python3 >/dev/null || skip "python3 not installed"

# run NAME WANT ARGS...: ringscope ARGS, stdout to $t/NAME.out; checks the
# exit status.
run() {
    local name=$1 want=$2 rc=0
    shift 2
    "$@" >"$t/$name.out" 2>"$t/$name.err" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name: exit status $rc, expected $want: $(head -c 300 "$t/$name.err")"
    else
        pass "$name: exit status $want"
    fi
}

# verdict_line OUT REQ: the requirement's row of the text report.
verdict_line() {
    grep -E "^  $2 " "$1" | head -n 1 | tr -s ' '
}

# expect_row OUT REQ ROW: the row, with runs of blanks squeezed.
expect_row() {
    local got
    got=$(verdict_line "$1" "$2")
    if [ "$got" = "$3" ]; then
        pass "$2: $3"
    else
        fail "$2: got '$got', expected '$3'"
    fi
}

# The requirements section: from its header to the first blank line.
requirements_section() {
    sed -n '/^  requirement  /,/^$/p' "$1"
}

# --- a capture with blocked connections ----------------------------------
run faults 1 "$RINGSCOPE" -r "$faults" -w "$t/faults.db" --json "$t/faults.json"
expect_row "$t/faults.out" RIO-DESK-XMPP " RIO-DESK-XMPP connect FAIL FAIL"
expect_row "$t/faults.out" RIO-PHONE-TCP " RIO-PHONE-TCP connect FAIL FAIL"
expect_row "$t/faults.out" RIO-PHONE-UDP " RIO-PHONE-UDP connect FAIL FAIL"
expect_row "$t/faults.out" RIO-DESK-HTTP " RIO-DESK-HTTP connect PASS PASS"
expect_row "$t/faults.out" WEB-MEDIA-NOW \
    " WEB-MEDIA-NOW connect - NOT OBSERVED"
expect_row "$t/faults.out" WEB-MEDIA-LEGACY \
    " WEB-MEDIA-LEGACY connect NOT OBSERVED -"
# The refused XMPP handshake is the evidence, with its packet.
if grep -A4 '^  RIO-DESK-XMPP ' "$t/faults.out" |
        grep -q 'evidence: flow [0-9]* packet 159$'; then
    pass "RIO-DESK-XMPP names packet 159"
else
    fail "RIO-DESK-XMPP evidence: $(grep -A3 '^  RIO-DESK-XMPP ' "$t/faults.out")"
fi
if grep -q "$(printf '\033')" "$t/faults.out"; then
    fail "colour codes written to a file"
else
    pass "no colour codes when stdout is not a terminal"
fi
awk 'length($0) > 100 { bad = 1 } END { exit bad }' "$t/faults.out" &&
    pass "lines fit 100 columns" || fail "a line is wider than 100 columns"

if [ -n "$SQLITE3" ]; then
    got=$("$SQLITE3" "$t/faults.db" "SELECT verdict FROM requirements
        WHERE requirement = 'RIO-DESK-XMPP' AND set_name = 'document'")
    [ "$got" = FAIL ] && pass "requirements table: RIO-DESK-XMPP FAIL" ||
        fail "requirements table: RIO-DESK-XMPP is '$got'"
    got=$("$SQLITE3" "$t/faults.db" "SELECT COUNT(*) FROM requirements
        WHERE verdict NOT IN ('PASS', 'FAIL', 'NOT_OBSERVED')")
    [ "$got" = 0 ] && pass "requirements table: verdicts are the documented ones" ||
        fail "requirements table: $got rows with another verdict"
fi

# --quiet prints nothing and keeps the exit status.
run quiet 1 "$RINGSCOPE" -q -r "$faults" --no-db
[ -s "$t/quiet.out" ] && fail "--quiet printed $(head -c 200 "$t/quiet.out")" ||
    pass "--quiet prints nothing"

# --- a clean capture: nothing of severity error fails --------------------
run clean 0 "$RINGSCOPE" -r "$clean" --no-db
expect_row "$t/clean.out" WEB-SIG-GLL-1X " WEB-SIG-GLL-1X connect PASS PASS"
if grep -E '^  [A-Z0-9-]+ ' "$t/clean.out" | grep -q FAIL; then
    grep -E '^  [A-Z0-9-]+ .*FAIL' "$t/clean.out" | grep -qv '(warning)' &&
        fail "clean capture has a failing error requirement" ||
        pass "clean capture: only warning requirements fail"
else
    pass "clean capture: no requirement fails"
fi

# --- the JSON document ----------------------------------------------------
# schema_check FILE N: the documented shape (ringscope(1), OUTPUT FORMAT)
# with N captures.
schema_check() {
    python3 - "$1" "$2" <<'PY'
import json, sys

doc = json.load(open(sys.argv[1], encoding="utf-8"))
want = int(sys.argv[2])
errors = []

def check(obj, fields, where):
    for name, types in fields.items():
        if name not in obj:
            errors.append(f"{where}: no '{name}'")
        elif not isinstance(obj[name], types):
            errors.append(f"{where}: '{name}' is {type(obj[name]).__name__}")

check(doc, {"format": str, "version": int, "captures": list}, "document")
if doc.get("format") != "ringscope-report" or doc.get("version") != 1:
    errors.append("format/version")
if len(doc.get("captures", [])) != want:
    errors.append(f"{len(doc.get('captures', []))} captures, expected {want}")
opt_int = (int, type(None))
opt_str = (str, type(None))
opt_num = (int, float, type(None))
for i, c in enumerate(doc.get("captures", [])):
    check(c, {"source": str, "capture_id": opt_int, "link_type": opt_str,
              "profile": opt_str, "tool_version": opt_str, "packets": int,
              "bytes": int, "flows": int, "first_ts": opt_num,
              "last_ts": opt_num, "sets": list, "requirements": list,
              "findings": list, "findings_omitted": int, "classes": list},
          f"capture {i}")
    for r in c.get("requirements", []):
        check(r, {"requirement": str, "set": str, "verdict": str,
                  "severity": str, "check": str, "summary": str,
                  "evidence": str, "fix": str}, f"capture {i} requirement")
        if r.get("verdict") not in ("PASS", "FAIL", "NOT_OBSERVED"):
            errors.append(f"verdict {r.get('verdict')}")
        if r.get("set") not in c.get("sets", []):
            errors.append(f"set {r.get('set')} not listed")
    for f in c.get("findings", []):
        check(f, {"kind": str, "severity": str, "requirement": opt_str,
                  "flow_id": opt_int, "first_packet": opt_int,
                  "ts": opt_num, "summary": str}, f"capture {i} finding")
        if f.get("severity") not in ("error", "warning", "info"):
            errors.append(f"severity {f.get('severity')}")
    for k in c.get("classes", []):
        check(k, {"class": str, "flows": int, "packets": int, "bytes": int},
              f"capture {i} class")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
PY
}

if out=$(schema_check "$t/faults.json" 1); then
    pass "--json: valid and of the documented shape"
else
    fail "--json: $out"
fi
got=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["captures"][0]
print(" ".join(r["verdict"] for r in c["requirements"]
               if r["requirement"] == "RIO-DESK-XMPP"))' "$t/faults.json")
[ "$got" = "FAIL FAIL" ] && pass "--json: RIO-DESK-XMPP FAIL in both sets" ||
    fail "--json: RIO-DESK-XMPP '$got'"

# Two captures in one run, one document.
run two 1 "$RINGSCOPE" -r "$faults" -r "$clean" --no-db --json "$t/two.json"
if out=$(schema_check "$t/two.json" 2); then
    pass "--json: two captures"
else
    fail "--json two captures: $out"
fi

# --- report DB ---------------------------------------------------------------
run report 1 "$RINGSCOPE" report "$t/faults.db" --json "$t/report.json"
requirements_section "$t/faults.out" > "$t/req.run"
requirements_section "$t/report.out" > "$t/req.db"
if [ -s "$t/req.run" ] && cmp -s "$t/req.run" "$t/req.db"; then
    pass "report DB: same requirements section"
else
    fail "report DB: requirements differ: $(diff "$t/req.run" "$t/req.db" | head -n 10)"
fi
sed -n '/^  findings: /,/^$/p' "$t/faults.out" > "$t/find.run"
sed -n '/^  findings: /,/^$/p' "$t/report.out" > "$t/find.db"
cmp -s "$t/find.run" "$t/find.db" && pass "report DB: same findings" ||
    fail "report DB: findings differ: $(diff "$t/find.run" "$t/find.db" | head -n 10)"
if python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["captures"][0]
b = json.load(open(sys.argv[2]))["captures"][0]
for k in ("requirements", "findings", "classes", "sets", "packets"):
    if a[k] != b[k]:
        sys.exit(k)' "$t/faults.json" "$t/report.json"; then
    pass "report DB --json: same document"
else
    fail "report DB --json differs from the run's"
fi
run report_capture 1 "$RINGSCOPE" report --capture 1 "$t/faults.db"
run report_missing 2 "$RINGSCOPE" report --capture 99 "$t/faults.db"
run report_usage 2 "$RINGSCOPE" report
run report_notdb 2 "$RINGSCOPE" report "$faults"

finish
