#!/usr/bin/env bash
# valgrind-e2e.sh PORTSIM [TEST...] - 'make valgrind': end-to-end scripts
# with every portsim process under valgrind's memcheck.  PORTSIM is replaced
# by a wrapper that runs it under valgrind (worker processes forked by a
# sweep are followed; gnuplot and other programs it executes are not): any
# invalid read or write, use of an uninitialised value, or leak (definite or
# indirect, also on an error path: exit 1 or 2) is reported in a per-process
# log, and any log with an error fails.  Default tests: those whose runs are
# short and that exercise the error paths (bad input, full stdout, damaged
# databases); e2e_experiments.sh (hour-long runs), the fault loop and the
# timed concurrency test are left out for their cost under valgrind.
set -u
portsim=$(realpath "$1")
shift
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
    tests=(tests/e2e_cli.sh tests/e2e_run.sh tests/e2e_report.sh tests/e2e_outputs.sh
           tests/e2e_html.sh tests/e2e_plot.sh tests/e2e_sweep.sh tests/e2e_trace.sh
           tests/e2e_profiles.sh tests/e2e_keys.sh tests/e2e_store_readonly.sh)
fi
if ! command -v valgrind >/dev/null; then
    echo "valgrind: SKIP (valgrind is not installed; tools/deps.sh test installs it)"
    exit 0
fi
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
chmod 1777 "$logs"     # e2e_store_readonly runs portsim as nobody
vg=$(command -v valgrind)       # by its full name: some tests empty PATH
cat >"$logs/portsim" <<SH
#!/bin/sh
exec "$vg" -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --child-silent-after-fork=no \\
    --log-file="$logs/vg.%p.log" "$portsim" "\$@"
SH
chmod 755 "$logs/portsim"
fail=0
for t in "${tests[@]}"; do
    if PORTSIM="$logs/portsim" bash "$t" >"$logs/out.txt" 2>&1; then
        echo "valgrind ok    $t"
    else
        echo "valgrind FAIL  $t"
        tail -n 20 "$logs/out.txt" | sed 's/^/    /'
        fail=1
    fi
done
n=$(find "$logs" -name 'vg.*.log' | wc -l)
bad=$(find "$logs" -name 'vg.*.log' -size +0 | wc -l)
for f in $(find "$logs" -name 'vg.*.log' -size +0 | head -n 5); do
    echo "== $f"; head -n 40 "$f"
done
echo "valgrind: $n portsim processes under memcheck, $bad with errors or leaks"
[ "$fail" -eq 0 ] && [ "$bad" -eq 0 ]
