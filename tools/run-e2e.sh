#!/usr/bin/env bash
# run-e2e.sh PORTSIM - run every end-to-end shell test (tests/e2e_*.sh) with
# the given binary; print one line per test and a closing summary line.
set -u
portsim=$(realpath "$1")
pass=0
fail=0
for t in tests/e2e_*.sh; do
    [ -e "$t" ] || continue
    log=$(mktemp)
    if PORTSIM="$portsim" bash "$t" >"$log" 2>&1; then
        echo "e2e ok    $t"
        pass=$((pass + 1))
    else
        echo "e2e FAIL  $t"
        sed 's/^/    /' "$log" | tail -n 40
        fail=$((fail + 1))
    fi
    rm -f "$log"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
