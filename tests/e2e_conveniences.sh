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
# ---- every error of a bad file at once, each with FILE:LINE; nothing written ----
printf '[workload]\nrat = 5\nrate = abc\n[stack]\nport_min = 2000\nport_min = 3000\n[bogus]\n' \
    >bad.ini
expect_exit 2 "$PORTSIM" run --db bad.db bad.ini
expect_stderr "portsim run: bad.ini:2: unknown key 'workload.rat'"
expect_stderr "portsim run: bad.ini:3: 'workload.rate' must be"
expect_stderr "portsim run: bad.ini:6: 'stack.port_min' is set twice"
expect_stderr "portsim run: bad.ini:7: unknown section '[bogus]'"
expect_file_absent bad.db
printf '[sweep]\nnme = x\nscenario = typo.ini\nseed = -1\n[vary]\nworkload.rate = 1, 2\n' >bad.sweep
printf 'workload.rate = 3\n[oops]\n' >>bad.sweep
expect_exit 2 "$PORTSIM" sweep bad.sweep --db bad.db
expect_stderr "portsim sweep: bad.sweep:2: unknown key 'sweep.nme'"
expect_stderr "portsim sweep: bad.sweep:4: 'sweep.seed' must be"
expect_stderr "portsim sweep: bad.sweep:7: 'workload.rate' is varied twice"
expect_stderr "portsim sweep: bad.sweep:8: unknown section '[oops]'"
expect_file_absent bad.db

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
# ---- --json for theory, capacity and profiles ----
expect_exit 0 "$PORTSIM" theory --json --set workload.rate=40
expect_stdout '"sustainable_rate_per_s":'
expect_stdout '"workload":{'
expect_exit 0 "$PORTSIM" profiles --json
expect_stdout '"profile": "win2000"'
# inconclusive (too few requests for a 0.1 % bound): exit 1, still one object
expect_exit 1 "$PORTSIM" capacity --json --set run.duration=60 --replications 2 \
    --tolerance 0.2 --jobs 1
expect_stdout '"outcome":"inconclusive"'
expect_no_stdout "step  phase"
if command -v python3 >/dev/null 2>&1; then
    "$PORTSIM" theory --json --set workload.rate=40 >theory.json
    "$PORTSIM" profiles --json >profiles.json
    "$PORTSIM" capacity --json --set run.duration=60 --replications 2 --tolerance 0.2 \
        --jobs 1 >capacity.json || true     # inconclusive: exit 1
    python3 - <<'PY'
import json
t = json.load(open("theory.json"))
assert t["params"]["workload"]["rate"] == 40
# win2000: 3,976 ports / (0.05 s + 240 s) = 16.5632...
assert abs(t["theory"]["sustainable_rate_per_s"] - 3976 / 240.05) < 1e-9, t["theory"]
assert isinstance(t["notes"], list)
p = json.load(open("profiles.json"))
assert [x["profile"] for x in p][:3] == ["win2000", "winxp", "win2003"], p
assert p[0]["ports"] == 3976 and p[0]["time_wait"] == 240
c = json.load(open("capacity.json"))
assert c["result"]["outcome"] == "inconclusive" and len(c["steps"]) >= 1, c
PY
fi

# ---- '-' is standard output for --out ----
expect_exit 0 "$PORTSIM" html --set run.duration=10s --out -
expect_stdout '<!DOCTYPE html>'
expect_stdout '</html>'
expect_file_absent ./-
"$PORTSIM" run --db c.db --quiet --set run.duration=10s
expect_exit 0 "$PORTSIM" export runs --db c.db --out -
expect_stdout 'run_id,sweep,remedy'
if command -v gnuplot >/dev/null 2>&1; then
    expect_exit 0 "$PORTSIM" plot --db c.db --run 1 --out -
    expect_stdout '<svg'
    expect_no_stdout "wrote"
else
    echo "gnuplot missing: plot --out - not tried"
fi
expect_file_absent ./-
echo "conveniences: ok"
