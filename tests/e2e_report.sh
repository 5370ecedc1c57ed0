#!/usr/bin/env bash
# e2e_report.sh - 'portsim report' on a database built here: one of known
# metrics (sqlite3 inserts, figures checked by hand) and one of real runs
# tagged as a sweep; four formats; unknown sweep, unknown baseline, empty
# and missing databases.  Also 'portsim theory' on the KB 319502 scenario.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
root=$PWD
ex=$root/experiments/kb319502
cd "$d"

# ---- known metrics: 2 remedies x 3 seeds, requests 1000 each ----
# baseline fails 100, 120, 140 requests; fix fails 0, 10, 20 (same seeds).
# pooled baseline = 360/3000 = 12 %; paired differences -10, -11, -12 pp:
# mean -11, sd 1, t(0.975, 2) = 4.3027 -> half-width 2.484 -> [-13.5, -8.52].
"$PORTSIM" run --set run.duration=10 --set run.name=known --db k.db --quiet
sqlite3 -bail k.db <<'SQL'
delete from samples; delete from metrics; delete from runs;
insert into sweeps (name) values ('known');
create temp table spec (remedy, seed, failed);    -- runs.seed is TEXT (schema 4)
insert into spec values ('baseline', 1, 100), ('baseline', 2, 120), ('baseline', 3, 140),
                        ('fix', 1, 0), ('fix', 2, 10), ('fix', 3, 20);
insert into runs (sweep_id, remedy, point, scenario_name, params_json, params_hash, seed,
                  replication, version, digest, status, wall_seconds, started_at)
select 1, remedy, '{}', 'known', '{}', remedy, seed, seed - 1, 'test', '0', 'ok', 0,
       '2024-01-01T00:00:00Z' from spec;
insert into metrics select r.id, 1000, 0, 1000, 1000 - s.failed, s.failed, s.failed, 0, 0,
       s.failed, 10, 5.0, 100, 50.0, 0, 0.0, 0, case when s.failed > 0 then 12.5 end, 1, 0, '0',
       0, 0, 0, 0, 0, 0, 0, 0, 0
from runs r join spec s on s.remedy = r.remedy and cast(s.seed as text) = r.seed;
SQL
"$PORTSIM" report --db k.db --sweep known --format csv >k.csv
python3 - k.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2, rows
fix, base = rows                                  # best first
assert fix["remedy"] == "fix" and base["remedy"] == "baseline", rows
assert base["is_baseline"] in ("true", "1"), base["is_baseline"]
def near(a, b, tol=1e-3): assert abs(float(a) - b) < tol, (a, b)
near(base["request_fail_pooled"], 0.12, 1e-9)
near(fix["request_fail_pooled"], 0.01, 1e-9)
near(fix["diff_request_fail_mean"], -0.11, 1e-9)
near(fix["diff_request_fail_t_lo"], -0.11 - 4.302652729911275 * 0.01 / 3 ** 0.5, 1e-9)
near(fix["diff_request_fail_t_hi"], -0.11 + 4.302652729911275 * 0.01 / 3 ** 0.5, 1e-9)
assert fix["replications"] == "3" and fix["diff_pairs"] == "3"
# Clopper-Pearson of 360/3000: scipy.stats.beta.ppf(0.025, 360, 2641) = 0.10858
near(base["request_fail_cp_lo"], 0.10858, 2e-4)
near(base["request_fail_cp_hi"], 0.13210, 2e-4)
near(base["first_failure_min"], 12.5, 1e-9)
assert fix["failed_replications"] == "2" and base["failed_replications"] == "3"
# params "{}" resolve to the defaults: 10 requests/s, win2000, 3,976 ports / 240.05 s
near(base["rate"], 10, 1e-9)
near(base["theory_sustainable_rate"], 3976 / 240.05, 1e-4)
PY

# ---- real runs of a small sweep ----
cat >mini.sweep <<INI
[sweep]
name = mini
scenario = $ex/kb319502.ini
replications = 3
[remedy baseline]
run.duration = 300
[remedy maxuserport]
run.duration = 300
stack.port_max = 65534
[vary]
workload.rate = 10, 40
INI
"$PORTSIM" sweep mini.sweep --db s.db --quiet
"$PORTSIM" report --db s.db --sweep mini >table.txt
cat table.txt
awk 'length($0) > 100 { print "too wide: " $0; bad = 1 } END { exit bad }' table.txt
grep -q "baseline 'baseline'" table.txt
grep -q 'workload.rate=40' table.txt
grep -q 'B %' table.txt
# at 40/s the remedy comes first (the baseline fails about half the requests)
order=$(awk '/workload.rate=40/ { p = 1 }
            p && /^(maxuserport|baseline) / { print $1; n++ }
            n == 2 { exit }' table.txt | tr '\n' ' ')
expect_eq "$order" 'maxuserport baseline ' "remedies at 40/s, best first"

"$PORTSIM" report --db s.db --sweep mini --format csv >s.csv
python3 - s.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
head, body = rows[0], rows[1:]
assert len(body) == 4, len(body)
assert all(len(r) == len(head) for r in body)
for name in ("remedy", "rate", "request_fail_pooled", "request_fail_cp_hi", "request_fail_t_lo",
             "diff_request_fail_mean", "theory_blocking", "theory_sustainable_rate"):
    assert name in head, name
d = [dict(zip(head, r)) for r in body]
base40 = [r for r in d if r["remedy"] == "baseline" and float(r["rate"]) == 40][0]
assert 0.3 < float(base40["request_fail_pooled"]) < 0.7, base40
assert abs(float(base40["theory_sustainable_rate"]) - 16.56) < 0.1, base40
PY

"$PORTSIM" report --db s.db --sweep mini --format json >s.json
jq -e 'length == 4 and all(.[]; has("remedy") and has("request_fail_cp_lo")
       and has("diff_request_fail_mean") and has("theory_blocking"))' s.json >/dev/null
jq -e '[.[] | select(.is_baseline | not) | .diff_request_fail_mean] | length == 2' s.json >/dev/null
jq -e '.[] | select(.remedy == "baseline" and .point["workload.rate"] == 40)
       | .theory_blocking > 0.5' s.json >/dev/null

"$PORTSIM" report --db s.db --sweep mini --format markdown >s.md
grep -q '^|---|' s.md
expect_num "$(grep -c '^| ' s.md)" -eq 5 "markdown table lines (header + 4 rows)"

# ---- every run, no sweep: grouped by scenario name, and said so ----
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=120 --db all.db --quiet
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=120 --db all.db --quiet   # a repeat
"$PORTSIM" run "$ex/remedy-vista.ini" --set run.duration=120 --db all.db --quiet
"$PORTSIM" report --db all.db >all.txt
grep -q 'grouped by their scenario name' all.txt
grep -q '1 repeated runs left out' all.txt
grep -q "baseline 'kb319502'" all.txt
grep -q '^remedy-vista' all.txt

# ---- errors ----
expect_exit 2 "$PORTSIM" report --db s.db --sweep nope
expect_stderr "no sweep 'nope' in s.db (sweeps: mini)"
expect_exit 2 "$PORTSIM" report --db s.db --sweep mini --baseline nope
expect_stderr "remedies: baseline, maxuserport"
expect_exit 2 "$PORTSIM" report --db missing.db
expect_stderr 'no such database'
expect_file_absent missing.db
expect_exit 2 "$PORTSIM" report --db s.db --format xml
"$PORTSIM" run --set run.duration=10 --db empty.db --quiet
sqlite3 empty.db 'delete from samples; delete from metrics; delete from runs'
expect_exit 1 "$PORTSIM" report --db empty.db
expect_stderr 'no runs recorded'

# ---- portsim theory on the KB 319502 scenario ----
"$PORTSIM" theory "$ex/kb319502.ini" >theory.txt
grep -q '3,976 ports (1025-5000)' theory.txt
expect_grep -E 'sustainable +3,976 ports \(1025-5000\) / 241.05 s holding = 16.49 connections/s' \
    theory.txt
grep -q 'WSAEADDRINUSE (10048)' theory.txt
awk 'length($0) > 100 { exit 1 }' theory.txt
