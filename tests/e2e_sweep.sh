#!/usr/bin/env bash
# e2e_sweep.sh - 'portsim sweep' and 'portsim merge': bad input writes
# nothing, --dry-run, --jobs 1 and --jobs 2 record the same runs, shards run
# by GNU parallel and merged equal one process, merging twice adds nothing,
# and the Slurm array script runs the shard its task number names.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
repo=$PWD
cd "$d"

cat >base.ini <<'INI'
[run]
duration = 2min
sample_interval = 10s
[stack]
profile = win2000
[workload]
rate = 40
mailboxes = 2000
cache_ttl = 1s
service_time = 50ms
service_dist = exponential
INI
cat >t.sweep <<'INI'
[sweep]
name = small
scenario = base.ini
replications = 3
seed = 5

[remedy baseline]

[remedy timedwaitdelay]
stack.time_wait = 30

[vary]
workload.rate = 10..40 x2     ; 10, 20, 40
stack.allocator = sequential, random
INI
total=36        # 2 remedies x 3 rates x 2 allocators x 3 replications

# ---- bad sweep files: exit 2, the place named, no database created ----
bad() {     # bad NAME TEXT EXPECTED-MESSAGE-PART
    printf '%s\n' "$2" >"$1.sweep"
    expect_exit 2 "$PORTSIM" sweep "$1.sweep" --db bad.db
    expect_stderr "$3"
    expect_file_absent bad.db
}
bad key "$(printf '[sweep]\nscenario = base.ini\n[remedy x]\nstack.nosuch = 1')" \
    "key.sweep:4: unknown key 'stack.nosuch'"
bad value "$(printf '[sweep]\nscenario = base.ini\n[vary]\nstack.time_wait = 30, -5')" \
    "value.sweep:4: 'stack.time_wait' must be"
bad range "$(printf '[sweep]\nscenario = base.ini\n[vary]\nworkload.rate = 9..1 step 1')" \
    "range.sweep:4: 'workload.rate' must be a list"
bad noscen "$(printf '[sweep]\nscenario = nosuch.ini')" \
    "noscen.sweep:2: 'sweep.scenario' must name a readable scenario file"
bad section "$(printf '[sweep]\nscenario = base.ini\n[remedys]')" \
    "section.sweep:3: unknown section '[remedys]'"
bad reps "$(printf '[sweep]\nscenario = base.ini\nreplications = 0')" \
    "reps.sweep:3: 'sweep.replications' must be a whole number 1..100000 (got '0')"
expect_exit 2 "$PORTSIM" sweep t.sweep --db bad.db --shard 5/4
expect_exit 2 "$PORTSIM" sweep t.sweep --db bad.db --jobs 0
expect_file_absent bad.db

# ---- --dry-run: every run listed, nothing created ----
"$PORTSIM" sweep t.sweep --dry-run --db dry.db >dry.txt
expect_file_absent dry.db
expect_eq "$(tail -n 1 dry.txt)" "$total runs (0 already recorded, $total to run)" "dry run's last line"
expect_num "$(grep -c $'\tno$' dry.txt)" -eq "$total" "runs listed as not recorded"
first=$'^0\tbaseline\t{"workload.rate":10,"stack.allocator":"sequential"}\t0\t5\t'
sed -n 2p dry.txt | grep -q "$first"

# ---- --jobs 1 and --jobs 2 give the same rows ----
"$PORTSIM" sweep t.sweep --jobs 1 --db j1.db --quiet
"$PORTSIM" sweep t.sweep --jobs 2 --db j2.db 2>progress.txt
grep -q "sweep small: $total of $total runs recorded" progress.txt
rows() {
    sqlite3 "$1" "select r.remedy, r.point, r.seed, r.replication, r.params_hash, r.digest,
        r.status, m.requests, m.cache_hits, m.connect_attempts, m.connects, m.connect_failures,
        m.failures_exhausted, m.failures_collision, m.retries, m.requests_failed,
        m.peak_in_use, m.mean_in_use, m.peak_time_wait, m.mean_time_wait,
        m.requests_unfinished, m.first_failure_time, m.events,
        (select count(*) || ':' || total(in_use) from samples s where s.run_id = r.id)
        from runs r join metrics m on m.run_id = r.id join sweeps w on w.id = r.sweep_id
        where w.name = 'small' order by r.remedy, r.point, r.replication"
}
rows j1.db >j1.txt
rows j2.db >j2.txt
expect_num "$(wc -l <j1.txt)" -eq "$total" "rows of --jobs 1"
cmp j1.txt j2.txt
# common random numbers: one seed per replication, whatever the remedy and point
expect_num "$(sqlite3 j1.db 'select count(distinct seed) from runs')" -eq 3 "distinct seeds"
# a second run of the same command finds nothing to do
"$PORTSIM" sweep t.sweep --db j1.db 2>again.txt
grep -q "$total of $total runs recorded (0 this time" again.txt
"$PORTSIM" sweep t.sweep --dry-run --db j1.db >dry1.txt
expect_eq "$(tail -n 1 dry1.txt)" "$total runs ($total already recorded, 0 to run)" "dry run's last line"

# ---- a failed run is retried by the next invocation, and replaced ----
sqlite3 j2.db "pragma foreign_keys = on;
    delete from metrics where run_id = (select min(id) from runs);
    update runs set status = 'failed', digest = null, error = 'test failure'
    where id = (select min(id) from runs)"
"$PORTSIM" sweep t.sweep --dry-run --db j2.db >dry2.txt
expect_eq "$(tail -n 1 dry2.txt)" "$total runs ($((total - 1)) already recorded, 1 to run)" \
    "dry run's last line"
"$PORTSIM" sweep t.sweep --db j2.db 2>retry.txt
grep -q "$total of $total runs recorded (1 this time, 0 failed)" retry.txt
expect_num "$(sqlite3 j2.db "select count(*) from runs where status = 'failed'")" -eq 0 "failed runs"
rows j2.db >j2b.txt
cmp j1.txt j2b.txt

# ---- shards through GNU parallel, merged, equal one process ----
parallel --will-cite "$PORTSIM" sweep t.sweep --shard {}/4 --db shard-{}.db --quiet \
    ::: 1 2 3 4
for k in 1 2 3 4; do      # shard k holds job indices = k-1 (mod 4)
    "$PORTSIM" sweep t.sweep --shard "$k/4" --dry-run --db "shard-$k.db" >"dry-$k.txt"
    awk -F'\t' -v k="$k" 'NR > 1 && NF == 7 && ($1 % 4 != k - 1 || $7 != "yes") { exit 1 }' \
        "dry-$k.txt" || expect_fail "shard $k holds a run of another shard, or misses one"
done
"$PORTSIM" merge all.db shard-1.db shard-2.db shard-3.db shard-4.db >merge1.txt
rows all.db >all.txt
cmp j1.txt all.txt
"$PORTSIM" merge all.db shard-1.db shard-2.db shard-3.db shard-4.db >merge2.txt
expect_num "$(grep -c ': 0 runs added' merge2.txt)" -eq 4 "shards adding nothing the second time"
expect_num "$(sqlite3 all.db 'select count(*) from runs')" -eq "$total" "merged runs"
expect_num "$(sqlite3 all.db 'select count(*) from sweeps')" -eq 1 "merged sweeps"
expect_eq "$(sqlite3 all.db 'pragma integrity_check')" ok "integrity_check of all.db"
expect_exit 2 "$PORTSIM" merge all.db nosuch.db

# ---- the Slurm array script (no Slurm controller here: its environment) ----
mkdir slurm
PORTSIM_SHARD_DIR=slurm SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=4 \
    SLURM_ARRAY_TASK_MIN=0 SLURM_CPUS_PER_TASK=2 \
    bash "$repo/experiments/cluster/sweep.sbatch" t.sweep >slurm.out 2>&1
grep -q -- '--shard 3/4' slurm.out           # array 0-3: task id 2 is shard 3
"$PORTSIM" sweep t.sweep --shard 3/4 --dry-run --db slurm/shard-3.db >dry-slurm.txt
expect_eq "$(tail -n 1 dry-slurm.txt)" "9 runs (9 already recorded, 0 to run)" "dry run of slurm's shard 3"
cmp <(sqlite3 slurm/shard-3.db 'select params_hash, seed, replication from runs order by 1, 2, 3') \
    <(sqlite3 shard-3.db 'select params_hash, seed, replication from runs order by 1, 2, 3')
PORTSIM_SHARD_DIR=slurm bash "$repo/experiments/cluster/merge.sbatch" slurm-all.db >/dev/null
expect_num "$(sqlite3 slurm-all.db 'select count(*) from runs')" -eq 9 "runs merged by merge.sbatch"
