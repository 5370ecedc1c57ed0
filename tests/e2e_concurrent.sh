#!/usr/bin/env bash
# e2e_concurrent.sh - many writers on one database (issue 13): 8 'portsim
# run' processes (5 replications each) and 2 'portsim sweep' of different
# sweeps write one database at once while 'portsim report' reads it over
# and over: every run is recorded exactly once, every writer and reader
# exits 0, and no "database is locked" reaches the user.  Then two 'portsim
# sweep' of the same sweep on one database at once: each run recorded
# once, no SQLite "UNIQUE constraint failed".  Prints the figures for the
# README's reliability section ("concurrent: ...").
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
root=$PWD
ex=$root/experiments/kb319502
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
for s in a b; do
    cat >"$s.sweep" <<INI
[sweep]
name = sweep-$s
scenario = $ex/kb319502.ini
replications = 3
seed = $([ "$s" = a ] && echo 1 || echo 2)
[remedy baseline]
run.duration = 120
[remedy hotfix]
keys_from = $ex/remedy-hotfix.ini
run.duration = 120
[vary]
workload.rate = 10, 20, 40, 80
INI
done
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=10 --db c.db --quiet   # the schema
pids=()
for i in 1 2 3 4 5 6 7 8; do
    "$PORTSIM" run "$ex/kb319502.ini" --set run.duration=120 --seed $((100 * i)) \
        --replications 5 --db c.db --quiet 2>"run$i.err" &
    pids+=($!)
done
for s in a b; do
    "$PORTSIM" sweep "$s.sweep" --jobs 1 --db c.db --quiet 2>"sweep$s.err" &
    pids+=($!)
done
readers=0
stop_reading=$(mktemp -p "$d")
(while [ -e "$stop_reading" ]; do
    "$PORTSIM" report --db c.db >/dev/null 2>>report.err || echo "report failed" >>report.err
    echo r >>reads
done) &
reader=$!
for p in "${pids[@]}"; do
    rc=0
    wait "$p" || rc=$?
    expect_num "$rc" -eq 0 "exit status of writer $p"
done
rm -f "$stop_reading"
wait "$reader"
readers=$(wc -l <reads)
cat run*.err sweep*.err >writers.err
touch report.err
expect_empty writers.err
expect_empty report.err
q() { sqlite3 c.db "$1"; }
expect_eq "$(q "SELECT count(*) FROM runs WHERE sweep_id IS NULL AND seed != 1")" 40 \
    "runs of the 8 run processes"
expect_eq "$(q "SELECT count(DISTINCT seed) FROM runs WHERE sweep_id IS NULL AND seed != 1")" \
    40 "distinct seeds of the 8 run processes"
for s in a b; do
    expect_eq "$(q "SELECT count(*) FROM runs r JOIN sweeps s ON s.id = r.sweep_id
        WHERE s.name = 'sweep-$s' AND r.status = 'ok'")" 24 "runs of sweep-$s"
done
expect_eq "$(q 'PRAGMA integrity_check')" ok "integrity_check"
total=$(q "SELECT count(*) FROM runs")

# -- two sweeps of the same sweep at once: each run once, no raw UNIQUE error
rc1=0 rc2=0
"$PORTSIM" sweep a.sweep --jobs 1 --db same.db --quiet 2>same1.err & p1=$!
"$PORTSIM" sweep a.sweep --jobs 1 --db same.db --quiet 2>same2.err & p2=$!
wait "$p1" || rc1=$?
wait "$p2" || rc2=$?
expect_num "$rc1" -eq 0 "exit status of the first sweep of the same sweep"
expect_num "$rc2" -eq 0 "exit status of the second sweep of the same sweep"
expect_no_grep "UNIQUE" same1.err
expect_no_grep "UNIQUE" same2.err
expect_eq "$(sqlite3 same.db "SELECT count(*) FROM runs")" 24 "runs of one sweep, twice at once"
expect_eq "$(sqlite3 same.db "SELECT count(*) FROM (SELECT DISTINCT params_hash, seed,
    replication FROM runs)")" 24 "distinct runs of one sweep, twice at once"
echo "concurrent: 10 writers (8 run, 2 sweep) and $readers reports at once:" \
     "$total runs recorded, each once; 2 sweeps of one sweep at once: 24 runs, each once"
