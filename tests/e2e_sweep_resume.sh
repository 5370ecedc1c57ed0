#!/usr/bin/env bash
# e2e_sweep_resume.sh - a sweep killed part-way (SIGKILL, then SIGINT and
# SIGTERM) and started again with the same command ends with every run
# recorded exactly once, and the database passes PRAGMA integrity_check.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"

# Runs of ~0.05 s each (one simulated hour at 40 requests/s) so that a kill
# lands part-way.
cat >base.ini <<'INI'
[run]
duration = 1h
sample_interval = 1s
[stack]
profile = win2000
[workload]
rate = 40
mailboxes = 2000
cache_ttl = 1s
INI
cat >r.sweep <<'INI'
[sweep]
scenario = base.ini
replications = 12
[remedy baseline]
[remedy maxuserport]
stack.port_max = 65534
[vary]
workload.rate = 20, 40
INI
total=48

wait_some() {           # DB: wait until a few runs are recorded (at most ~20 s)
    for _ in $(seq 400); do
        n=$(sqlite3 "$1" 'select count(*) from runs' 2>/dev/null || echo 0)
        if [ "${n:-0}" -ge 3 ]; then return 0; fi
        sleep 0.05
    done
}

check_complete() {      # DB
    expect_eq "$(sqlite3 "$1" 'pragma integrity_check')" ok "$1: integrity_check"
    expect_num "$(sqlite3 "$1" "select count(*) from runs where status = 'ok'")" -eq "$total" \
        "$1: runs with status ok"
    expect_num "$(sqlite3 "$1" 'select count(*) from runs')" -eq "$total" "$1: runs"
    expect_num "$(sqlite3 "$1" 'select count(*) from (select distinct params_hash, seed, replication
                                                    from runs)')" -eq "$total" "$1: distinct runs"
    expect_num "$(sqlite3 "$1" 'select count(*) from metrics')" -eq "$total" "$1: metrics rows"
    expect_num "$(sqlite3 "$1" 'select count(*) from samples')" -eq $((total * 3600)) "$1: samples"
}

# ---- SIGKILL part-way, then resume ----
"$PORTSIM" sweep r.sweep --jobs 2 --db k.db --quiet &
pid=$!
wait_some k.db
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
sleep 0.3                       # orphaned workers see EOF and exit
before=$(sqlite3 k.db 'select count(*) from runs' 2>/dev/null || echo 0)
echo "SIGKILL: $before of $total runs recorded before the kill"
expect_eq "$(sqlite3 k.db 'pragma integrity_check')" ok "integrity_check after SIGKILL"
"$PORTSIM" sweep r.sweep --jobs 2 --db k.db 2>resume.txt
grep -q "$total of $total runs recorded ($((total - before)) this time" resume.txt
check_complete k.db

# ---- SIGINT and SIGTERM: a clean stop, exit 1, the message; then resume ----
for sig in INT TERM; do
    "$PORTSIM" sweep r.sweep --jobs 2 --db "$sig.db" --quiet 2>"$sig.err" &
    pid=$!
    wait_some "$sig.db"
    kill -"$sig" "$pid"
    set +e
    wait "$pid"
    rc=$?
    set -e
    cat "$sig.err"
    expect_num "$rc" -eq 1 "exit status after SIG$sig"
    grep -Eq "sweep incomplete: [0-9]+ of $total runs recorded; run the same command to resume" \
        "$sig.err"
    n=$(sqlite3 "$sig.db" 'select count(*) from runs')
    expect_num "$n" -lt "$total" "runs recorded before SIG$sig"
    grep -q "sweep incomplete: $n of $total" "$sig.err"     # what arrived was recorded
    expect_eq "$(sqlite3 "$sig.db" 'pragma integrity_check')" ok "integrity_check after SIG$sig"
    "$PORTSIM" sweep r.sweep --jobs 2 --db "$sig.db" --quiet
    check_complete "$sig.db"
done

# ---- a worker that dies mid-run (SIGKILL: the OOM killer, or a crash that
# no sanitizer can catch): its run recorded as failed, a new worker takes
# over, the sweep goes on (exit 1); the same command then completes ----
sed 's/^duration = 1h/duration = 8h/' base.ini >slow.ini
sed 's/^scenario = base.ini/scenario = slow.ini/; s/^replications = 12/replications = 2/' \
    r.sweep >c.sweep
"$PORTSIM" sweep c.sweep --jobs 2 --db c.db --quiet 2>c.err &
pid=$!
wait_some c.db
kill -KILL "$(pgrep -P "$pid" | head -n 1)"
set +e
wait "$pid"
rc=$?
set -e
cat c.err
[ "$rc" -eq 1 ]
grep -q "(1 failed; see the runs' error column)" c.err
[ "$(sqlite3 c.db "select count(*) from runs where status = 'failed' and
                   error = 'worker process died of signal 9 during the run'")" -eq 1 ]
[ "$(sqlite3 c.db "select count(*) from runs where status = 'ok'")" -eq 7 ]
"$PORTSIM" sweep c.sweep --jobs 2 --db c.db --quiet
[ "$(sqlite3 c.db "select count(*) from runs where status = 'ok'")" -eq 8 ]

# ---- the resumed databases agree with each other run for run ----
q='select remedy, point, seed, replication, params_hash, digest from runs order by 1, 2, 4'
cmp <(sqlite3 k.db "$q") <(sqlite3 INT.db "$q")
cmp <(sqlite3 k.db "$q") <(sqlite3 TERM.db "$q")
