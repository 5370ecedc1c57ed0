#!/usr/bin/env bash
# e2e_capacity.sh - 'portsim capacity' against Erlang B: one connection per
# request, Poisson arrivals, 200 ports, 60 s TIME_WAIT, no service time.  The
# answer for a 1 % target must lie within 5 % of the rate at which Erlang B
# is 1 % (2.996/s: theory_rate_for_blocking(200, 60, 0.01)), and below it
# (the answer carries the Clopper-Pearson margin).  Then bad usage, and an
# inconclusive search (too few requests) exits 1 and says what to do.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
sets=(--set stack.port_min=2000 --set stack.port_max=2199 --set stack.time_wait=60
      --set workload.service_time=0 --set workload.cache_ttl=0
      --set workload.mailboxes=1000000 --set run.warmup=200 --set run.duration=10200)
"$PORTSIM" capacity "${sets[@]}" --target 0.01 --replications 4 --jobs 2 >cap.txt
cat cap.txt
grep -q '^step  phase' cap.txt
grep -Eq '^ +1  start ' cap.txt
grep -q 'Erlang B reaches 1% at 2.996 requests/s' cap.txt
ans=$(awk '/^capacity +[0-9]/ { print $2 }' cap.txt)
python3 -c "
ans, erl = float('$ans'), 2.99599
assert 0.95 * erl <= ans <= erl * 1.01, (ans, erl)"
expect_file_absent portsim.db             # nothing recorded

# the same answer with one job (no fork): the workers change nothing
"$PORTSIM" capacity "${sets[@]}" --target 0.01 --replications 4 --jobs 1 >cap1.txt
expect_eq "$(grep -v 'jobs$' cap1.txt | sed 's/, [0-9]* jobs//')" \
          "$(grep -v 'jobs$' cap.txt | sed 's/, [0-9]* jobs//')" "the answer with --jobs 1"

expect_exit 2 "$PORTSIM" capacity --target 2
expect_stderr "'--target' must be"
expect_exit 2 "$PORTSIM" capacity --set stack.port_max=99999
expect_stderr 'port_max'
expect_exit 1 "$PORTSIM" capacity "${sets[@]}" --set run.warmup=0 --set run.duration=60 \
    --target 0.0001 --replications 1
printf '%s\n%s\n' "$EXPECT_STDOUT" "$EXPECT_STDERR" >inc.txt
expect_grep 'inconclusive' inc.txt
expect_grep 'raise --replications' inc.txt

# Issue 12: with [nat] the default criterion is the share of SYNs the NAT
# drops.  A NAT of 100 public ports, each held 10 s after its FIN, one
# destination, one connection per request, constant arrivals: the closed
# form is exact, 100 / 10 s = 10 new flows/s (below it no SYN is ever
# dropped; above it the drops start once the ports are gone).  The answer
# must lie within 3 % of it, and not above it.
nat=(--set stack.profile=linux --set stack.connect_cost=0 --set stack.candidate_cost=0
     --set stack.lookup_cost=0 --set workload.arrivals=constant --set workload.servers=1
     --set workload.service_time=0 --set workload.mailboxes=1 --set workload.cache_ttl=0
     --set nat.profile=azure-natgw --set nat.port_min=1000 --set nat.port_max=1099
     --set nat.hold_fin=10 --set run.duration=400 --set run.warmup=20 --set workload.rate=5)
"$PORTSIM" capacity "${nat[@]}" --replications 2 --jobs 2 --json >nat.json
expect_eq "$(jq -r .metric nat.json)" nat-drops "the default metric with [nat]"
expect_eq "$(jq -r .result.outcome nat.json)" found "the NAT search's outcome"
expect_eq "$(jq -r .result.theory_nat_rate_per_s nat.json)" 10 "the NAT closed form"
if ! jq -e '.result.rate_per_s >= 9.7 and .result.rate_per_s <= 10' nat.json >/dev/null; then
    expect_fail "NAT capacity $(jq .result.rate_per_s nat.json) is not within 3 % under 10/s"
fi
if ! jq -e '[.steps[] | select(.pass) | .syns_dropped] | max == 0' nat.json >/dev/null; then
    expect_fail "a passing step of the exact NAT case dropped a SYN"
fi
"$PORTSIM" capacity "${nat[@]}" --replications 2 --jobs 1 >nat.txt
expect_grep -E '^capacity +10 requests/s keep SYNs the NAT drops under 0.1%' nat.txt
expect_grep -E '^NAT form +10 requests/s: 10 new flows/s per destination' nat.txt
# failed requests hardly see the NAT: every dropped SYN is retried for 127 s
"$PORTSIM" capacity "${nat[@]}" --replications 2 --metric failed --max-rate 40 --json >f.json
expect_eq "$(jq -r .result.outcome f.json)" above_max "--metric failed behind the NAT"
"$PORTSIM" capacity "${nat[@]}" --replications 2 --metric connect-p99 --target 1 --json >p.json
if ! jq -e '.metric == "connect-p99" and .result.rate_per_s >= 9.7' p.json >/dev/null; then
    expect_fail "connect-p99 capacity $(jq .result.rate_per_s p.json) below 9.7/s"
fi
expect_exit 2 "$PORTSIM" capacity "${nat[@]}" --metric fastest
expect_stderr "'--metric' must be failed, nat-drops or connect-p99 (got 'fastest')"
expect_exit 2 "$PORTSIM" capacity --metric nat-drops
expect_stderr "needs a scenario with [nat]"
expect_exit 2 "$PORTSIM" capacity "${nat[@]}" --target 0.7
expect_stderr "'--target' must be a share 1e-09..0.5 for --metric nat-drops (got 0.7)"
