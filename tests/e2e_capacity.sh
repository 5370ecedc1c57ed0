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
