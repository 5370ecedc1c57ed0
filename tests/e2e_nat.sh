#!/usr/bin/env bash
# e2e_nat.sh - issue 12 from the command line: a run behind a NAT prints the
# vendor's words and its NAT figures (text and --json, per IP summing to the
# total), records them (nat_metrics), report adds a NAT table, profiles lists
# the NAT profiles, theory adds the NAT's closed form, and a bad NAT key is
# rejected with its place, value and what is allowed (exit 2).
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
