#!/usr/bin/env bash
# e2e_conveniences.sh - the small things of issue 14 item 6: "did you mean"
# for a mistyped command or key (on the command line and in files).
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# ---- did you mean: commands ----
expect_exit 2 "$PORTSIM" rnu
expect_stderr "unknown command 'rnu'; did you mean 'run'?"
expect_exit 2 "$PORTSIM" help thoery
expect_stderr "did you mean 'theory'?"
expect_exit 2 "$PORTSIM" frobnicate
expect_stderr "unknown command 'frobnicate' (try"

# ---- did you mean: keys, in --set, in scenario files and in sweep files ----
expect_exit 2 "$PORTSIM" run --no-db --set workload.rat=5
expect_stderr "did you mean 'workload.rate'?"
expect_exit 2 "$PORTSIM" theory --set stak.port_min=5
expect_stderr "did you mean 'stack.port_min'?"
printf '[workload]\nrat = 5\n' >typo.ini
expect_exit 2 "$PORTSIM" run --no-db typo.ini
expect_stderr "typo.ini:2: unknown key 'workload.rat' (did you mean 'workload.rate'?"
printf '[sweep]\nnme = x\nscenario = typo.ini\n' >typo.sweep
expect_exit 2 "$PORTSIM" sweep typo.sweep --dry-run
expect_stderr "typo.sweep:2: unknown key 'sweep.nme' (did you mean 'sweep.name'?"
# ---- run --replications N ends with the mean and interval ----
expect_exit 0 "$PORTSIM" run --no-db --replications 3 --set run.duration=30s \
    --set workload.rate=200
expect_stdout "over 3 replications: mean [95% Student t interval]"
expect_stdout -E '^  TIME_WAIT mean +[0-9.]+ \[[0-9.]+, [0-9.]+\]$'
expect_exit 0 "$PORTSIM" run --no-db --set run.duration=30s
expect_no_stdout() { if grep -qF "$1" <<<"$EXPECT_STDOUT"; then expect_fail "stdout has '$1'"; fi; }
expect_no_stdout "replications:"
expect_exit 0 "$PORTSIM" run --no-db --json --replications 2 --set run.duration=30s
expect_no_stdout "replications:"
echo "conveniences: ok"
