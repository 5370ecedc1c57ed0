#!/usr/bin/env bash
# e2e_db_faults.sh - fault injection into the database (issue 13): through
# tests/vfs_fault.c (an SQLite VFS wrapping the default one, loaded with
# LD_PRELOAD), every write, sync and lock call of recording a run and of
# merging shards fails in turn, and a full disk starts at every write.  For
# each: the error is clear (exit 1, the database named, the cause), every
# run recorded before is still there, PRAGMA integrity_check says ok, and
# the run is recorded exactly once in the end (kept beside the database,
# recorded by the next writer) unless the disk stays full, which is said.
# Then a corrupt, a truncated, a newer and a locked database, and a
# read-only file and directory for a writer.  Prints the counts for the
# README's reliability section ("faults: ...").
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
root=$PWD
d=$(mktemp -d)
trap 'chmod -R u+w "$d"; rm -rf "$d"' EXIT
if ! cc -std=c11 -O1 -shared -fPIC -o "$d/vfs_fault.so" tests/vfs_fault.c -lsqlite3 \
        2>"$d/cc.txt"; then
    echo "SKIP: cannot build tests/vfs_fault.c: $(head -n 1 "$d/cc.txt")"
    exit 77
fi
cd "$d"
short=(--set run.duration=10s)
q() { sqlite3 "$1" "$2"; }
# An ASan build wants its runtime first; the shim is plain C and does not mind.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
faulty() {  # faulty SPEC CMD...: CMD with the N-th call of a kind failing
    LD_PRELOAD="$d/vfs_fault.so" PORTSIM_FAULT="$1" "${@:2}"
}
healthy() {  # healthy DB: intact, with the runs recorded before
    expect_eq "$(q "$1" 'PRAGMA integrity_check')" ok "integrity_check of $1"
    expect_eq "$(q "$1" 'SELECT count(*) FROM runs WHERE seed IN (1, 2)')" 2 \
        "runs recorded before the fault, in $1"
    expect_eq "$(q "$1" 'SELECT count(*) FROM runs r WHERE status = '"'ok'"' AND NOT EXISTS
        (SELECT 1 FROM metrics m WHERE m.run_id = r.id)')" 0 "ok runs without metrics in $1"
}
"$PORTSIM" run "${short[@]}" --db base.db --quiet --seed 1
"$PORTSIM" run "${short[@]}" --db base.db --quiet --seed 2
"$PORTSIM" run "${short[@]}" --db in.db --quiet --seed 11
"$PORTSIM" run "${short[@]}" --db in.db --quiet --seed 12

# -- how many calls of each kind recording a run and merging make
cp base.db w.db
LD_PRELOAD="$d/vfs_fault.so" PORTSIM_FAULT_COUNT="$d/run.count" \
    "$PORTSIM" run "${short[@]}" --db w.db --quiet --seed 99
cp base.db w.db
LD_PRELOAD="$d/vfs_fault.so" PORTSIM_FAULT_COUNT="$d/merge.count" \
    "$PORTSIM" merge w.db in.db --quiet
calls() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$1"; }
for f in run merge; do
    for k in write sync lock; do
        expect_num "$(calls "$f.count" "$k")" -ge 1 "$k calls of $f"
    done
done

# -- recording a run: each call fails in turn
injected=0 failed=0 kept=0 atopen=0 lost_full=0 seed=1000
for kind in write sync lock full; do
    k=$kind
    [ "$kind" != full ] || k=write
    n=$(calls run.count "$k")
    for ((i = 1; i <= n; i++)); do
        seed=$((seed + 1))
        rm -f w.db*
        cp base.db w.db
        rc=0
        faulty "$kind:$i" "$PORTSIM" run "${short[@]}" --db w.db --quiet --seed "$seed" \
            2>err.txt || rc=$?
        injected=$((injected + 1))
        healthy w.db
        here=$(q w.db "SELECT count(*) FROM runs WHERE seed = $seed")
        beside=0
        for p in w.db.pending-*.db; do
            [ -e "$p" ] || continue
            beside=$((beside + $(q "$p" "SELECT count(*) FROM runs WHERE seed = $seed")))
        done
        if [ "$rc" -eq 0 ]; then
            expect_eq "$here" 1 "run recorded after $kind:$i that exited 0"
            continue
        fi
        failed=$((failed + 1))
        expect_num "$rc" -eq 1 "exit status after $kind:$i"
        expect_grep -E "^portsim run: w\.db: .*(disk I/O error|disk is full|locked)" err.txt
        if grep -q "could not be kept" err.txt; then
            expect_eq "$kind" full "the only fault that may lose the run (said so)"
            lost_full=$((lost_full + 1))
            continue
        fi
        if [ "$here" -eq 0 ] && grep -q "the run is kept in w.db.pending-" err.txt; then
            expect_eq "$beside" 1 "run kept beside w.db after $kind:$i"
            kept=$((kept + 1))
        elif [ "$here" -eq 0 ]; then
            # failed while opening, before the run was computed: nothing to lose
            expect_grep "(nothing was run)" err.txt
            expect_eq "$beside" 0 "runs beside w.db after $kind:$i failed at open"
            atopen=$((atopen + 1))
        fi
        # the next writer records what was kept, once
        "$PORTSIM" run "${short[@]}" --db w.db --quiet --seed 7 2>/dev/null
        expect_eq "$(q w.db "SELECT count(*) FROM runs WHERE seed = $seed")" \
            "$((here + beside))" "run recorded once after $kind:$i and the next writer"
        expect_eq "$(find . -name 'w.db.pending-*' | wc -l)" 0 "files left beside w.db"
        healthy w.db
    done
done
runfaults=$injected

# -- merging shards: each call fails in turn; the merge is all or nothing
for kind in write sync lock full; do
    k=$kind
    [ "$kind" != full ] || k=write
    n=$(calls merge.count "$k")
    for ((i = 1; i <= n; i++)); do
        rm -f w.db*
        cp base.db w.db
        rc=0
        faulty "$kind:$i" "$PORTSIM" merge w.db in.db --quiet 2>err.txt || rc=$?
        injected=$((injected + 1))
        healthy w.db
        got=$(q w.db 'SELECT count(*) FROM runs')
        if [ "$rc" -eq 0 ]; then
            expect_eq "$got" 4 "runs after a merge that exited 0 ($kind:$i)"
            continue
        fi
        failed=$((failed + 1))
        expect_num "$rc" -eq 1 "exit status of merge after $kind:$i"
        expect_grep -E "^portsim merge: (w|in)\.db: .*(disk I/O error|disk is full|locked)" \
            err.txt
        expect_eq "$got" 2 "runs after a merge that failed ($kind:$i): all or nothing"
        expect_eq "$(q in.db 'SELECT count(*) FROM runs')" 2 "runs of the input"
    done
done
# -- a merge into a new file that fails leaves no file behind
rm -f fresh.db*
LD_PRELOAD="$d/vfs_fault.so" PORTSIM_FAULT_COUNT="$d/fresh.count" \
    "$PORTSIM" merge fresh.db in.db --quiet
n=$(calls fresh.count write)
for ((i = 1; i <= n; i++)); do
    rm -f fresh.db*
    rc=0
    faulty "write:$i" "$PORTSIM" merge fresh.db in.db --quiet 2>err.txt || rc=$?
    injected=$((injected + 1))
    if [ "$rc" -eq 0 ]; then
        expect_eq "$(q fresh.db 'SELECT count(*) FROM runs')" 2 "runs merged into fresh.db"
    else
        failed=$((failed + 1))
        expect_file_absent fresh.db
        expect_file_absent fresh.db-wal
    fi
done
echo "faults: $runfaults injected into recording a run, $((injected - runfaults)) into" \
     "merging; $failed reported as errors ($atopen at open, before any run)," \
     "$kept runs kept beside and recorded later," \
     "$lost_full lost to a disk that stayed full (said so), 0 runs lost otherwise," \
     "integrity_check ok after each"

# -- a damaged database: a clear error, never an abort
cp base.db cut.db
truncate -s 4096 cut.db
expect_exit 1 "$PORTSIM" report --db cut.db
expect_stderr "cut.db"
cp base.db bad.db
dd if=/dev/urandom of=bad.db bs=1024 seek=2 count=4 conv=notrunc status=none
for cmd in "report --db bad.db" "run ${short[*]} --db bad.db --quiet"; do
    rc=0
    # shellcheck disable=SC2086
    "$PORTSIM" $cmd 2>err.txt >/dev/null || rc=$?
    expect_num "$rc" -le 1 "exit status of '$cmd' on a damaged file (no abort)"
done
# a database from a newer portsim
cp base.db new.db
q new.db 'PRAGMA user_version = 99'
expect_exit 1 "$PORTSIM" run "${short[@]}" --db new.db --quiet
expect_stderr "new.db: database schema version 99 is newer"
expect_exit 1 "$PORTSIM" report --db new.db
expect_stderr "newer"

# -- each metric of a stored run corrupted in turn: an error naming the run
for col in requests connect_attempts connects connect_failures requests_failed \
           peak_in_use mean_in_use events digest first_failure_time; do
    cp base.db m.db
    q m.db "UPDATE metrics SET $col = CASE '$col' WHEN 'digest' THEN 'zz'
            WHEN 'first_failure_time' THEN -1 ELSE -5 END WHERE run_id = 1"
    expect_exit 1 "$PORTSIM" report --db m.db
    expect_stderr -E "m\.db: run 1: (metric $col|inconsistent)"
done
cp base.db m.db
q m.db "UPDATE metrics SET requests_failed = requests + 1 WHERE run_id = 1"
expect_exit 1 "$PORTSIM" report --db m.db
expect_stderr "run 1: inconsistent metrics: requests_failed > requests"

# -- a writer on a read-only file or directory: exit 1 before any run
as=()
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null; then
        as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
fi
if [ "$(id -u)" -ne 0 ] || [ ${#as[@]} -gt 0 ]; then
    mkdir rodir
    cp base.db rodir/p.db
    cp base.db ro.db
    chmod 755 "$d"
    chmod 444 ro.db rodir/p.db
    chmod 555 rodir
    for db in ro.db rodir/p.db; do
        expect_exit 1 "${as[@]}" "$PORTSIM" run "${short[@]}" --db "$db" --quiet
        expect_stderr "$db"
        expect_exit 0 "${as[@]}" "$PORTSIM" report --db "$db"
    done
    chmod 755 rodir
fi

# -- held by another process's write transaction: a bounded wait, then a
#    clear error.  lock.db is held before the run opens it: nothing is run.
#    lock2.db is taken while the run computes: the run is kept beside it and
#    the next writer records it.  Both at once, to wait only once.
hold() {    # hold DB SECONDS: a write transaction on DB for SECONDS
    { echo "BEGIN IMMEDIATE; INSERT INTO sweeps (name, definition) VALUES ('held', '');"
      sleep "$2"; echo "ROLLBACK;"; } | sqlite3 "$1" >/dev/null
}
cp base.db lock.db
cp base.db lock2.db
hold lock.db 14 &
h1=$!
long=(--set workload.rate=2000 --set run.duration=7200)
(sleep 0.2; hold lock2.db 25) &
h2=$!
rc2=0
"$PORTSIM" run "${long[@]}" --db lock2.db --quiet --seed 6 2>lock2.err &
r2=$!
sleep 0.5
start=$(date +%s)
expect_exit 1 "$PORTSIM" run "${short[@]}" --db lock.db --quiet --seed 5
took=$(($(date +%s) - start))
expect_stderr "lock.db: database is locked: another process held a write transaction"
expect_stderr "(nothing was run)"
expect_num "$took" -le 13 "seconds waited for the lock"
expect_num "$took" -ge 9 "seconds waited for the lock"
wait "$r2" || rc2=$?
expect_num "$rc2" -eq 1 "exit status of a run whose database stayed locked"
expect_grep "lock2.db: database is locked" lock2.err
expect_grep "the run is kept in lock2.db.pending-" lock2.err
wait "$h1" "$h2"
"$PORTSIM" run "${short[@]}" --db lock2.db --quiet --seed 8 2>next.err
expect_grep "recorded 1 run kept beside lock2.db" next.err
expect_eq "$(q lock2.db 'SELECT count(*) FROM runs WHERE seed = 6')" 1 \
    "the run computed while lock2.db was held, recorded once"
healthy lock.db
healthy lock2.db
echo "database faults: clear errors, nothing lost"
