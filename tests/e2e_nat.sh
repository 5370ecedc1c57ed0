#!/usr/bin/env bash
# e2e_nat.sh - issue 12 from the command line: a run behind a NAT prints the
# vendor's words and its NAT figures (text and --json, per IP summing to the
# total), records them (nat_metrics), report adds a NAT table and NAT columns
# to csv and json (equal to nat_metrics; none without a NAT), profiles lists
# the NAT profiles (and --json), theory adds the NAT's closed form (and
# --json), and a bad NAT key is rejected with its place, value and what is
# allowed (exit 2).
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
app=experiments/cloud/appservice-128.ini

expect_exit 0 "$PORTSIM" run "$app" --db "$tmp/a.db" --set run.warmup=0
expect_stdout 'SYNs dropped (SnatConnectionCount Failed)'
expect_stdout 'the NAT dropped its first SYN at t = 128.0 s'

expect_exit 0 "$PORTSIM" run "$app" --no-db --json --set fleet.hosts=1 --set nat.public_ips=2 \
    --set nat.ports_per_host=64
printf '%s\n' "$EXPECT_STDOUT" >"$tmp/j.json"
expect_eq "$(jq -r '.nat.failure_words' "$tmp/j.json")" "SnatConnectionCount Failed" "words"
expect_eq "$(jq '.nat.per_ip | map(.nat_flows) | add' "$tmp/j.json")" \
    "$(jq '.nat.nat_flows' "$tmp/j.json")" "per-IP flows sum"
expect_eq "$(jq '.nat.per_host | map(.nat_failures) | add' "$tmp/j.json")" \
    "$(jq '.nat.nat_failures' "$tmp/j.json")" "per-host failures sum"
expect_eq "$(jq '.params.nat.profile' "$tmp/j.json")" '"azure-lb"' "nat in the params"

expect_exit 0 "$PORTSIM" run experiments/kb319502/kb319502.ini --no-db --json \
    --set run.duration=60
printf '%s\n' "$EXPECT_STDOUT" >"$tmp/k.json"
expect_eq "$(jq 'has("nat")' "$tmp/k.json")" "false" "no nat object without [nat]"
expect_eq "$(jq '.params | has("nat") or has("fleet")' "$tmp/k.json")" "false" \
    "no [nat]/[fleet] in the canonical JSON without them"

expect_exit 0 sqlite3 "$tmp/a.db" \
    "SELECT value FROM nat_metrics WHERE scope = 'run' AND name = 'failure_words'"
expect_stdout 'SnatConnectionCount Failed'
expect_exit 0 "$PORTSIM" report --db "$tmp/a.db"
expect_stdout 'NAT (means over runs)'

# report --format csv/json: the NAT columns, equal to the database's
# nat_metrics (one run: sums and maxima are its own values)
db="$tmp/a.db"
nat() {     # nat NAME: the run's value of nat_metrics NAME (a number as jq writes it)
    jq -n "$(sqlite3 "$db" "SELECT value FROM nat_metrics WHERE scope = 'run' AND name = '$1'")"
}
"$PORTSIM" report --db "$db" --format csv >"$tmp/r.csv" 2>/dev/null
head -n 1 "$tmp/r.csv" | tr ',' '\n' >"$tmp/cols"
for c in nat_flows nat_failures nat_drop_pooled nat_failure_words nat_ports_peak_max \
         connect_latency_p50_mean connect_latency_p99_max syn_retransmits connect_timeouts \
         pool_resets; do
    expect_grep -E "^$c\$" "$tmp/cols"
done
col() {     # col NAME: the first row's csv value of column NAME
    python3 -c "import csv, sys
print(list(csv.DictReader(open(sys.argv[1])))[0][sys.argv[2]])" "$tmp/r.csv" "$1"
}
expect_eq "$(col nat_flows)" "$(nat nat_flows)" "csv nat_flows"
expect_eq "$(col nat_failures)" "$(nat nat_failures)" "csv nat_failures"
expect_eq "$(col nat_failure_words)" "SnatConnectionCount Failed" "csv words"
"$PORTSIM" report --db "$db" --format json >"$tmp/r.json" 2>/dev/null
for pair in nat_flows:nat_flows nat_failures:nat_failures nat_ports_peak_max:nat_ports_peak \
            syn_retransmits:syn_retransmits connect_timeouts:connect_timeouts \
            pool_resets:pool_resets connect_latency_p50_mean:connect_latency_p50 \
            connect_latency_p99_max:connect_latency_p99; do
    expect_eq "$(jq ".[0].${pair%%:*}" "$tmp/r.json")" "$(nat "${pair#*:}")" \
        "json ${pair%%:*} against nat_metrics ${pair#*:}"
done
expect_eq "$(jq -r '.[0].nat_failure_words' "$tmp/r.json")" "SnatConnectionCount Failed" \
    "json words"
if ! jq -e '.[0].nat_failures > 0 and (.[0].nat_drop_pooled - .[0].nat_failures
            / (.[0].nat_flows + .[0].nat_failures) | fabs < 1e-12)' "$tmp/r.json" >/dev/null; then
    expect_fail "nat_drop_pooled is not nat_failures / (nat_flows + nat_failures)"
fi
# a run without a NAT in the same database: its row has null NAT fields;
# a database without any NAT run keeps the columns it had
"$PORTSIM" run experiments/kb319502/kb319502.ini --db "$db" --quiet --set run.duration=60
"$PORTSIM" report --db "$db" --format json >"$tmp/m.json" 2>/dev/null
expect_eq "$(jq '[.[] | select(.remedy == "kb319502") | .nat_flows] | .[0]' "$tmp/m.json")" \
    null "no NAT: null"
"$PORTSIM" run experiments/kb319502/kb319502.ini --db "$tmp/k.db" --quiet --set run.duration=60
"$PORTSIM" report --db "$tmp/k.db" --format csv >"$tmp/k.csv" 2>/dev/null
expect_no_grep nat_ "$tmp/k.csv"
"$PORTSIM" report --db "$tmp/k.db" --format json >"$tmp/k2.json" 2>/dev/null
expect_eq "$(jq '.[0] | has("nat_flows")' "$tmp/k2.json")" false "no NAT keys without a NAT"

# profiles --json and theory --json carry the NAT profiles and closed forms
"$PORTSIM" profiles --json >"$tmp/p.json"
expect_eq "$(jq -c '[.[] | select(.kind == "nat") | .profile]' "$tmp/p.json")" \
    '["azure-lb","azure-natgw","aws-natgw","gcp-cloudnat","linux-conntrack"]' "NAT profiles"
expect_eq "$(jq -c '.[] | select(.profile == "aws-natgw") | [.per_dst_limit, .hold_fin,
    .idle_timeout, .failure_words]' "$tmp/p.json")" '[55000,60,350,"ErrorPortAllocation"]' \
    "aws-natgw in profiles --json"
expect_eq "$(jq '[.[] | select(.kind == "stack")] | length' "$tmp/p.json")" \
    "$(jq '[.[] | select(.kind != "nat")] | length' "$tmp/p.json")" "stack profiles kept"
"$PORTSIM" theory "$app" --json >"$tmp/t.json"
# App Service: 128 ports / 240 s = 0.5333/s; exhausted after 128 s at 1/s
expect_eq "$(jq -c '.nat | [.ports_per_dst, .hold_s, .exhaustion_s, .failure_words]' \
    "$tmp/t.json")" '[128,240,128,"SnatConnectionCount Failed"]' "theory --json nat"
if ! jq -e '.nat.per_dst_per_s - 128 / 240 | fabs < 1e-12' "$tmp/t.json" >/dev/null; then
    expect_fail "theory --json nat.per_dst_per_s is not 128 / 240"
fi
"$PORTSIM" theory experiments/kb319502/kb319502.ini --json >"$tmp/t2.json"
expect_eq "$(jq 'has("nat")' "$tmp/t2.json")" false "theory --json without [nat]"

expect_exit 0 "$PORTSIM" profiles
expect_stdout 'aws-natgw'
expect_stdout 'ErrorPortAllocation'
expect_exit 0 "$PORTSIM" theory "$app"
expect_stdout 'exhausted after 128 s, then SYNs dropped (SnatConnectionCount Failed)'

expect_exit 2 "$PORTSIM" run "$app" --no-db --set nat.public_ips=17
expect_stderr "nat.public_ips"
expect_stderr "1..16"
expect_exit 2 "$PORTSIM" run --no-db --set nat.profile=aws-natgw --set nat.public_ips=9
expect_stderr "must be 1..8 for aws-natgw (got '9')"
expect_exit 2 "$PORTSIM" run --no-db --set nat.profile=cisco
expect_stderr "none, azure-lb, azure-natgw, aws-natgw, gcp-cloudnat or linux-conntrack"
