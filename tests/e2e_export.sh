#!/usr/bin/env bash
# e2e_export.sh - 'portsim export runs|samples|report': one column per
# scenario key and per metric with units in the names, the same rows in
# csv, json and jsonl, seeds as unsigned decimals that --seed accepts back,
# --out FILE and --out -, bad usage exit 2.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
db=x.db
# replication 1's seed is derived from base seed 1: 16860738450190168606 >= 2^63
"$PORTSIM" run --db "$db" --quiet --replications 2 --set run.duration=3s \
    --set workload.rate=20

expect_exit 0 "$PORTSIM" export runs --db "$db"
printf '%s\n' "$EXPECT_STDOUT" >runs.csv
expect_num "$(wc -l <runs.csv)" -eq 3 "lines of runs.csv (header + 2 runs)"
head -n 1 runs.csv | tr ',' '\n' >cols.txt
for c in run_id sweep remedy seed replication status workload.rate stack.time_wait \
         stack.profile run.duration requests connect_failures peak_time_wait_entries \
         mean_time_wait_entries peak_in_use_ports first_failure_time_s wall_time_s digest \
         request_failure_ratio; do
    expect_grep -E "^$c\$" cols.txt
done
expect_no_grep -E '^(peak_time_wait|time_wait|mean_in_use)$' cols.txt
# every row has as many fields as the header (no field holds a comma here)
expect_eq "$(awk -F, '{ print NF }' runs.csv | sort -u | wc -l)" 1 "field counts"
# seeds: unsigned, and the one of replication 1 is accepted by --seed
seed1=$(awk -F, -v c="$(grep -n '^seed$' cols.txt | cut -d: -f1)" 'NR == 3 { print $c }' runs.csv)
expect_eq "$seed1" 16860738450190168606 "seed of replication 1"
expect_exit 0 "$PORTSIM" run --no-db --json --seed "$seed1" --set run.duration=3s \
    --set workload.rate=20
expect_stdout "\"seed\":\"$seed1\""

# the database shows the seed the same way, and run_params has the keys
if command -v sqlite3 >/dev/null 2>&1; then
    expect_eq "$(sqlite3 "$db" 'select seed from runs where replication = 1')" "$seed1" \
        "runs.seed"
    expect_eq "$(sqlite3 "$db" 'select typeof(seed) from run_summary group by 1')" text \
        "run_summary.seed type"
    expect_eq "$(sqlite3 "$db" "select value from run_params where run_id = 1 and
                               key = 'workload.rate'")" 20 "run_params workload.rate"
    expect_eq "$(sqlite3 "$db" "select count(*) from run_params where run_id = 1")" \
        "$(sed -n 's/^\(run\|stack\|workload\)\./&/p' cols.txt | wc -l)" "run_params keys"
else
    echo "sqlite3 missing: the database's own view is not read"
fi

# every key of the recorded scenario is a column
if command -v python3 >/dev/null 2>&1; then
    "$PORTSIM" run --no-db --json --set run.duration=3s >one.json
    python3 - one.json cols.txt <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["params"]
want = {s + "." + k for s in p for k in p[s]}
cols = set(open(sys.argv[2]).read().split())
missing = want - cols
assert not missing, missing
PY
    expect_exit 0 "$PORTSIM" export runs --db "$db" --format json
    printf '%s\n' "$EXPECT_STDOUT" >runs.json
    expect_exit 0 "$PORTSIM" export runs --db "$db" --format jsonl
    printf '%s\n' "$EXPECT_STDOUT" >runs.jsonl
    python3 - runs.json runs.jsonl runs.csv <<'PY'
import csv, json, sys
a = json.load(open(sys.argv[1]))
b = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
c = list(csv.DictReader(open(sys.argv[3])))
assert a == b, "json and jsonl differ"
assert len(a) == 2 and a[1]["seed"] == "16860738450190168606", a[1]["seed"]
assert a[0]["workload.rate"] == 20 and c[0]["workload.rate"] == "20"
assert a[0]["stack.time_wait"] == 240
assert [r["digest"] for r in a] == [r["digest"] for r in c]
assert isinstance(a[0]["peak_time_wait_entries"], int)
PY
else
    echo "python3 missing: json and csv not compared"
fi

# samples: one row per sample (3 s, one a second: t = 0, 1, 2 -> 3 per run)
expect_exit 0 "$PORTSIM" export samples --db "$db" --format jsonl
expect_num "$(printf '%s\n' "$EXPECT_STDOUT" | grep -c '"t_s"')" -eq 6 "sample rows"
expect_stdout '"time_wait_entries":'
# report: the rows of portsim report
expect_exit 0 "$PORTSIM" export report --db "$db" --format jsonl
expect_stdout '"request_fail_cp_hi":'

# --out FILE writes the file; --out - is standard output
expect_exit 0 "$PORTSIM" export runs --db "$db" --out out.csv
expect_eq "$EXPECT_STDOUT" "" "standard output with --out FILE"
cmp out.csv runs.csv || expect_fail "--out FILE differs from standard output"
expect_file_absent out.csv.tmp
expect_exit 0 "$PORTSIM" export runs --db "$db" --out -
expect_eq "$EXPECT_STDOUT" "$(cat runs.csv)" "--out -"

# bad usage
expect_exit 2 "$PORTSIM" export rows --db "$db"
expect_stderr "runs, samples or report"
expect_exit 2 "$PORTSIM" export runs --db "$db" --format xml
expect_stderr "csv, json or jsonl"
expect_exit 2 "$PORTSIM" export runs --db "$db" --sweep nosuch
expect_exit 2 "$PORTSIM" export runs --db missing.db    # a missing input is bad input
expect_file_absent missing.db
echo "export: ok"
