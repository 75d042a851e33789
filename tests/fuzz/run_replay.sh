#!/usr/bin/env bash
# Replays the stored corpus of every fuzz target (tests/fuzz/corpus/NAME/
# for the program tests/fuzz/fuzz_NAME).  Crashes found by fuzzing are kept
# in the corpus as regression inputs, so this runs them all on every
# make check.  With FUZZ_SECONDS=N and a libFuzzer build, each target is
# also fuzzed for N seconds from that corpus.
. "$(dirname "$0")/../golden/lib.sh"

: "${top_builddir:=$top_srcdir/build}"
ran=0
for corpus in "$top_srcdir"/tests/fuzz/corpus/*/; do
    name=$(basename "$corpus")
    bin=$top_builddir/tests/fuzz/fuzz_$name
    [ -x "$bin" ] || { fail "no fuzz program for corpus '$name'"; continue; }
    mapfile -t inputs < <(find "$corpus" -type f | LC_ALL=C sort)
    [ ${#inputs[@]} -gt 0 ] || { fail "corpus '$name' is empty"; continue; }
    if "$bin" "${inputs[@]}" > "$test_tmp/$name.log" 2>&1; then
        pass "$name: ${#inputs[@]} inputs replayed"
    else
        fail "$name: replay failed"
        tail -n 40 "$test_tmp/$name.log"
    fi
    if [ -n "${FUZZ_SECONDS:-}" ] && "$bin" -help=1 2>&1 | grep -q libFuzzer; then
        mkdir -p "$test_tmp/new-$name"
        if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
                "$test_tmp/new-$name" "$corpus" > "$test_tmp/$name.fuzz" 2>&1; then
            pass "$name: fuzzed for $FUZZ_SECONDS s"
        else
            fail "$name: fuzzing found a failure"
            tail -n 60 "$test_tmp/$name.fuzz"
        fi
    fi
    ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || skip "no fuzz corpus stored"
finish
