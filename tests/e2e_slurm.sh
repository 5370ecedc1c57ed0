#!/usr/bin/env bash
# e2e_slurm.sh - the Slurm scripts on a real single-node Slurm cluster:
# experiments/cluster/sweep.sbatch submitted as a job array (3 shards of a
# small sweep), merge.sbatch with --dependency=afterok, and the merged
# database equal, run for run (remedy, point, params hash, seed,
# replication, digest), to one local 'portsim sweep' of the same sweep.
#
# The array tasks write their shards on "node-local" disk (PORTSIM_LOCAL_DIR)
# and copy them into the shared shard folder, as the README advises.
#
# The cluster lives in a temporary directory: its own munged (the Debian
# package's key, its own socket), slurmctld and slurmd in the foreground
# (-D) as root, with their own slurm.conf (SLURM_CONF), ports, state, spool
# and logs; a trap stops every daemon started here, by its pid.  Needs root
# and the Debian packages slurmctld, slurmd, slurm-client and munge
# (tools/deps.sh test installs them); without them, or when the cluster
# does not come up, SKIP (exit 77).  Takes about 10 s.
set -eu
repo=$PWD
skip() { echo "SKIP $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "not root: a private Slurm cluster needs slurmd as root"
for c in munged munge slurmctld slurmd sbatch squeue sinfo scontrol sqlite3; do
    command -v "$c" >/dev/null 2>&1 || skip "'$c' is missing (tools/deps.sh test)"
done
[ -r /etc/munge/munge.key ] || skip "no /etc/munge/munge.key (Debian package munge)"

d=$(mktemp -d /tmp/portsim-slurm.XXXXXX)
chmod 755 "$d"
pids=()
stop() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    if [ -s "$d/munge/munged.pid" ]; then
        kill "$(cat "$d/munge/munged.pid")" 2>/dev/null || true
    fi
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$d"
}
trap stop EXIT
logs() {    # the daemons' last words, to say why
    local f
    for f in "$d"/log/*; do echo "== $f"; tail -n 15 "$f"; done
}

# ---- munge: the package's key, our own socket ----
mkdir -p "$d/munge" "$d/state" "$d/spool" "$d/log" "$d/work/shards"
chmod 755 "$d/munge"
install -m 0600 /etc/munge/munge.key "$d/munge/munge.key"
sock=$d/munge/munge.sock
munged --force --socket="$sock" --pid-file="$d/munge/munged.pid" \
    --log-file="$d/log/munged.log" --seed-file="$d/munge/munged.seed" \
    --key-file="$d/munge/munge.key" || skip "munged did not start: $(tail -n 3 "$d/log/munged.log")"
for _ in $(seq 50); do
    if munge -n -S "$sock" 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1; then break; fi
    sleep 0.1
done
munge -n -S "$sock" | unmunge -S "$sock" >/dev/null 2>&1 || skip "munged does not answer"

# ---- slurm.conf: this host, its CPUs and memory, ports nobody listens on ----
free_port() {       # free_port FROM: the first port >= FROM with no listener
    local p=$1
    while ss -Htan "sport = :$p" | grep -q .; do p=$((p + 1)); done
    echo "$p"
}
host=$(hostname -s)
node=$(slurmd -C 2>/dev/null | head -n 1)
case $node in NodeName=*) ;; *) skip "slurmd -C cannot describe this host";; esac
ctld_port=$(free_port $((20000 + $$ % 20000)))
slurmd_port=$(free_port $((ctld_port + 1)))
cat >"$d/slurm.conf" <<CONF
# A one-node cluster for tests/e2e_slurm.sh; everything under $d.
ClusterName=portsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
${node% UpTime=*} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=portsim Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$d/slurm.conf

# ---- the daemons, in the foreground of background jobs: we hold their pids ----
slurmctld -D -c >"$d/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D >"$d/log/slurmd.out" 2>&1 &
pids+=($!)
state=
for _ in $(seq 100); do
    state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
    [ "$state" != idle ] || break
    sleep 0.2
done
if [ "$state" != idle ]; then
    logs
    skip "the Slurm cluster did not come up (node state '$state')"
fi
echo "cluster up: $host, controller port $ctld_port, $(sinfo -h -o '%c CPUs, %m MB')"

# ---- a small sweep: 2 remedies x 2 rates x 2 replications = 8 runs ----
cd "$d/work"
cat >base.ini <<'INI'
[run]
duration = 2min
sample_interval = 10s
[stack]
profile = win2000
port_max = 1200
[workload]
rate = 40
cache_ttl = 1s
INI
cat >t.sweep <<'INI'
[sweep]
name = slurm
scenario = base.ini
replications = 2
seed = 3

[remedy baseline]

[remedy timedwaitdelay]
stack.time_wait = 30

[vary]
workload.rate = 20, 40
INI

# ---- submit as a user would (the README's commands), and wait, bounded ----
# shards in a shared folder, each written on "node-local" disk and copied
# there (the README's advice: SQLite's WAL is unsafe on NFS and Lustre)
export PORTSIM PORTSIM_SHARD_DIR=$d/work/shards PORTSIM_LOCAL_DIR=$d/node-local
jid=$(sbatch --parsable --array=1-3 --cpus-per-task=1 --time=5 \
      --output="$d/work/sweep-%A_%a.out" "$repo/experiments/cluster/sweep.sbatch" t.sweep)
mid=$(sbatch --parsable --dependency=afterok:"$jid" --time=5 \
      --output="$d/work/merge-%j.out" "$repo/experiments/cluster/merge.sbatch" merged.db)
echo "submitted array $jid and merge $mid"
t0=$SECONDS
while [ -n "$(squeue -h -j "$jid,$mid" -o %i 2>/dev/null)" ]; do
    why=$(squeue -h -j "$mid" -o %r 2>/dev/null || true)
    if [ "$why" = DependencyNeverSatisfied ]; then
        tail -n 5 sweep-*.out
        echo "an array task failed: the merge will never run"
        exit 1
    fi
    if [ $((SECONDS - t0)) -gt 120 ]; then
        squeue; logs
        echo "jobs not done after 120 s"
        exit 1
    fi
    sleep 1
done
echo "jobs done in $((SECONDS - t0)) s"
mstate=$(scontrol show job "$mid" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
if [ "$mstate" != COMPLETED ]; then
    cat sweep-*.out merge-*.out 2>/dev/null; logs
    echo "merge job state '$mstate', expected COMPLETED"
    exit 1
fi
for k in 1 2 3; do      # each task ran its own shard, as Slurm numbered it
    grep -q -- "--shard $k/3 " sweep-"$jid"_"$k".out ||
        { echo "task $k did not run shard $k/3:"; cat sweep-"$jid"_"$k".out; exit 1; }
    [ -f "shards/shard-$k.db" ] || { echo "no shards/shard-$k.db"; exit 1; }
done
left=$(ls -A "$d/node-local")
[ -z "$left" ] || { echo "left on node-local disk: $left"; exit 1; }

# ---- the merged database equals one local sweep, run for run ----
"$PORTSIM" sweep t.sweep --db local.db --jobs 1 --quiet
q="SELECT r.remedy, r.point, r.params_hash, r.seed, r.replication, r.digest
   FROM runs r JOIN sweeps s ON s.id = r.sweep_id
   WHERE s.name = 'slurm' AND r.status = 'ok'
   ORDER BY r.params_hash, r.seed, r.replication"
sqlite3 merged.db "$q" >merged.txt
sqlite3 local.db "$q" >local.txt
n=$(wc -l <local.txt)
[ "$n" -eq 8 ] || { echo "local sweep: $n runs, expected 8"; exit 1; }
if ! diff -u local.txt merged.txt; then
    echo "the cluster's merged database differs from the local sweep"
    exit 1
fi
echo "slurm: 3 array tasks + merge = the local sweep, 8 runs, run for run"
