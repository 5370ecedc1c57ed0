#!/usr/bin/env bash
# run-e2e.sh PORTSIM - run every end-to-end shell test (tests/e2e_*.sh) with
# the given binary; print one line per test and a closing summary line.
# Exit status 77 from a test means skipped (a tool is missing): shown as SKIP.
set -u
portsim=$(realpath "$1")
pass=0
fail=0
skip=0
for t in tests/e2e_*.sh; do
    [ -e "$t" ] || continue
    log=$(mktemp)
    PORTSIM="$portsim" bash "$t" >"$log" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "e2e ok    $t"
        pass=$((pass + 1))
    elif [ "$rc" -eq 77 ]; then      # skipped: say so, with the test's reason
        echo "e2e SKIP  $t: $(grep '^SKIP' "$log" | head -n 1)"
        skip=$((skip + 1))
    else
        echo "e2e FAIL  $t"
        sed 's/^/    /' "$log" | tail -n 40
        fail=$((fail + 1))
    fi
    rm -f "$log"
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
