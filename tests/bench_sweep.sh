#!/usr/bin/env bash
# bench_sweep.sh - a sweep of one-hour win2000 runs at 20 requests/s
# (kb319502.ini, 1,000 replications by default; BENCH_SWEEP_RUNS=N for
# another count) with --jobs 1 and --jobs 2: runs per second, the speedup,
# and the share of the sweep's wall time the parent spent inside store
# calls (as 'portsim sweep' reports it).  Run by 'make bench' with
# PORTSIM set; prints "bench <name> <value> <unit>" lines.
set -eu
runs=${BENCH_SWEEP_RUNS:-1000}
repo=$PWD
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat >"$d/bench.sweep" <<INI
[sweep]
name = bench
scenario = $repo/experiments/kb319502/kb319502.ini
replications = $runs
seed = 1
[vary]
workload.rate = 20
INI
# "sweep bench: ... in T s: R runs/s, database D s (S% of the time)"
measure() {     # JOBS -> "R S"
    "$PORTSIM" sweep "$d/bench.sweep" --jobs "$1" --db "$d/j$1.db" 2>&1 >/dev/null |
        sed -n 's/.*: \([0-9.]*\) runs\/s, database [0-9.]* s (\([0-9.]*\)% of the time).*/\1 \2/p'
}
read -r r1 s1 < <(measure 1)
read -r r2 s2 < <(measure 2)
echo "bench sweep_runs $runs runs"
echo "bench sweep_runs_per_s_jobs1 $r1 runs/s"
echo "bench sweep_runs_per_s_jobs2 $r2 runs/s"
awk -v a="$r1" -v b="$r2" 'BEGIN { printf "bench sweep_speedup %.2f x\n", b / a }'
echo "bench sweep_db_share_jobs1 $s1 %"
echo "bench sweep_db_share $s2 %"
