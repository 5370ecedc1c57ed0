#!/usr/bin/env bash
# fuzz.sh BUILD SECONDS HARNESS... - run each libFuzzer harness of
# tests/fuzz/ (built as BUILD/fuzz-NAME by 'make fuzz') for SECONDS seconds,
# one process each, one after the other (the machine is shared).
#
# Corpus: BUILD/corpus/NAME, seeded from tests/fuzz/seeds/NAME and
# tests/fuzz/regressions/NAME and kept between runs, so runs add up.  A
# finding (crash, leak, sanitizer report, timeout, out of memory) goes to
# BUILD/findings/NAME/ and makes the exit status 1: copy it to
# tests/fuzz/regressions/NAME/ once fixed, so 'make check' replays it.
# Executions per harness are appended to BUILD/fuzz-stats.txt
# ("DATE NAME SECONDS EXECS STATUS") and printed.
set -u
b=$1 secs=$2
shift 2
status=0
for h in "$@"; do
    corpus=$b/corpus/$h findings=$b/findings/$h
    mkdir -p "$corpus" "$findings"
    cp -n tests/fuzz/seeds/"$h"/* tests/fuzz/regressions/"$h"/* "$corpus"/ 2>/dev/null
    log=$b/fuzz-$h.log
    "$b/fuzz-$h" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then st=ok; else st="FINDING(exit $rc)"; status=1; fi
    printf '%s %s %s %s %s\n' "$(date -u +%FT%TZ)" "$h" "$secs" "${execs:-0}" "$st" \
        | tee -a "$b/fuzz-stats.txt"
    if [ "$rc" -ne 0 ]; then
        grep -m 3 -E 'ERROR|runtime error|SUMMARY' "$log" | sed 's/^/    /'
        echo "    log: $log; input: $(ls -t "$findings" | head -n 1)"
    fi
done
exit $status
