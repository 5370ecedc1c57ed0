#!/usr/bin/env bash
# e2e_longrun.sh - long runs can be watched and stopped (issue 13): a run
# estimated above the event limit is refused unless --force; a run whose
# memory passes --max-memory, and one interrupted by SIGINT or SIGTERM,
# stop at their simulated time, are recorded as truncated with their
# metrics so far (runs.truncated_at) and left out of 'report', exit 1.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
big=(--set workload.rate=1e6 --set run.duration=1d --set stack.profile=linux)

# ---- the estimate: 10^6/s x 86,400 s x 4 events + 86,400 samples = 345,600,086,400 ----
expect_exit 2 "$PORTSIM" run "${big[@]}" --db r.db
expect_stderr "about 345,600,086,400 events (86,400,000,000 requests x 4 events each"
expect_stderr "above the limit of 10,000,000,000 events"
expect_stderr "--force"
expect_file_absent r.db

# ---- the memory bound: --force runs it, --max-memory stops it ----
expect_exit 2 "$PORTSIM" run "${big[@]}" --force --max-memory 12X --no-db
expect_stderr "--max-memory must be a size in bytes"
"$PORTSIM" run --set run.duration=60s --db r.db --quiet      # one complete run first
expect_exit 1 "$PORTSIM" run "${big[@]}" --force --max-memory 120M --db r.db
expect_stderr -E "stopped at [0-9.]+ s of 86400 s simulated: the run's memory \([0-9,]+ MiB\)"
expect_stderr "passed --max-memory (120 MiB)"
expect_stderr "recorded as truncated (run 2)"
expect_stdout "TRUNCATED: stopped at"
expect_exit 0 sqlite3 r.db \
    "select id, truncated_at is null, truncated_at > 0 and truncated_at < 86400 from runs order by 1"
expect_stdout "1|1|"
expect_stdout "2|0|1"
expect_exit 0 "$PORTSIM" report --db r.db
expect_stdout "1 truncated runs left out"

# ---- interrupted: SIGINT and SIGTERM stop the run where it is ----
for sig in INT TERM; do
    expect_exit 1 timeout -k 10 -s "$sig" --preserve-status 1.5 "$PORTSIM" run "${big[@]}" --force \
        --db r.db --json
    expect_stderr -E "interrupted \(SIG$sig\) at [0-9.]+ s of 86400 s simulated"
    expect_stderr "; recorded as truncated (run"
    expect_stdout '"truncated_at":'
done
expect_exit 0 sqlite3 r.db "select count(*) from runs where truncated_at is not null"
expect_stdout "3"

# ---- progress with an ETA on a terminal, after 2 s (script(1) gives a pty) ----
if command -v script >/dev/null; then
    script -qec "timeout -s INT 3.5 $PORTSIM run ${big[*]} --force --no-db" tty.txt \
        >/dev/null 2>&1 || true
    expect_grep -E "run: +[0-9.]+% simulated, [0-9,]+ events, 0:0[2-9] elapsed, ETA [0-9:]+" tty.txt
    expect_grep "interrupted (SIGINT)" tty.txt
else
    echo "SKIP progress on a terminal: no script(1)"
fi

# ---- a sweep of millions of runs shows its planning on a terminal ----
if command -v script >/dev/null; then
    printf '[run]\nduration = 10s\n' >base.ini
    printf '[sweep]\nscenario = base.ini\nreplications = 50000\n[vary]\nworkload.rate = 1..100 step 1\n' \
        >big.sweep
    # planning this sweep may take under the 1 s after which progress shows:
    # PORTSIM_PLAN_PROGRESS_AFTER=0 shows it from the start
    script -qec "PORTSIM_PLAN_PROGRESS_AFTER=0 $PORTSIM sweep big.sweep --dry-run --db none.db \
        >/dev/null" plan.txt >/dev/null 2>&1
    expect_grep -E "sweep big: planning, [0-9]+ of 5000000 runs looked at \([0-9]+%\)" plan.txt
fi
