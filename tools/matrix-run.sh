#!/usr/bin/env bash
# matrix-run.sh PORTSIM - the determinism matrix's scenarios, run by one
# build: one line per scenario, "LABEL DIGEST METRICS", where DIGEST is the
# run's event digest and METRICS the first 16 hex digits of the SHA-256 of
# its --json output without wall_seconds (the one figure that is not
# deterministic).  Every profile, every allocator, a cache TTL, retries,
# and a sweep run with --jobs 1 and --jobs 2 (its digests in run order).
# 'make matrix' (tools/matrix.sh) compares the lines of every build with
# tests/golden/matrix-digests.txt.  Cost: about 30 short runs.
set -eu
portsim=$1
root=$(cd "${BASH_SOURCE%/*}/.." && pwd)
ex=$root/experiments/kb319502
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
base=(--no-db --json --set run.duration=600 --set workload.rate=40 --seed 7)
one() {     # one LABEL ARGS...: run a scenario, print its line
    local label=$1 out
    shift
    out=$("$portsim" run "$ex/kb319502.ini" "${base[@]}" "$@")
    printf '%s %s %s\n' "$label" \
        "$(grep -o '"digest":"[0-9a-f]*"' <<<"$out" | head -n 1 | cut -d'"' -f4)" \
        "$(sed -E 's/"wall_seconds":[-+0-9.eE]*,?//g' <<<"$out" | sha256sum | cut -c1-16)"
}
for p in win2000 win2003 win7 win8 linux freebsd macos; do
    one "profile=$p" --set stack.profile=$p --set workload.rate=400
done
for a in sequential random random-each hash double-hash random-increment; do
    one "allocator=$a" --set stack.allocator=$a
done
one "cache_ttl=30s" --set workload.cache_ttl=30
one "retries=2" --set workload.retries=2
one "linux-servers=4" --set stack.profile=linux --set workload.servers=4 --set workload.rate=900
cat >"$d/m.sweep" <<INI
[sweep]
name = matrix
scenario = $ex/kb319502.ini
replications = 2
seed = 3
[remedy baseline]
run.duration = 300
[remedy reuseaddr]
keys_from = $ex/remedy-reuseaddr.ini
run.duration = 300
[vary]
workload.rate = 10, 40
INI
for j in 1 2; do
    "$portsim" sweep "$d/m.sweep" --jobs $j --db "$d/s$j.db" --quiet
    rows=$(sqlite3 "$d/s$j.db" "SELECT remedy, point, replication, seed, digest FROM runs
                                ORDER BY remedy, point, replication")
    printf 'sweep-jobs=%s %s %s\n' "$j" "$(sha256sum <<<"$rows" | cut -c1-16)" \
        "$(wc -l <<<"$rows")"
done
