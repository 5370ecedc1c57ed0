#!/usr/bin/env bash
# e2e_run.sh - 'portsim run' as a user meets it: a summary in the profile's
# words, --json, the database, and a table of bad input that must exit 2,
# name the place, key, value and what is allowed, and write nothing.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
ex=$OLDPWD/experiments/kb319502

# ---- a good run: the KB 319502 failure, recorded ----
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=300 >out.txt
grep -q 'WSAEADDRINUSE (10048)' out.txt
grep -q 'of 3,976 ports were in TIME_WAIT' out.txt
expect_file portsim.db
expect_eq "$(sqlite3 portsim.db 'select count(*) from runs')" 1 "runs recorded"
expect_eq "$(sqlite3 portsim.db 'select count(*) from samples')" 300 "samples recorded"
expect_eq "$(sqlite3 portsim.db 'select connect_failures > 0 from run_summary')" 1 "failures recorded"

# ---- --json: one object with params, metrics, run_id ----
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=60 --no-db --json >j.json
jq -e '.params.stack.profile == "win2000" and .run_id == null and (.metrics.requests > 0)' j.json
for m in requests cache_hits connect_attempts connects connect_failures failures_exhausted \
         failures_collision retries requests_failed peak_in_use mean_in_use peak_time_wait \
         mean_time_wait peak_server_time_wait mean_server_time_wait requests_unfinished \
         first_failure_time events wall_seconds digest \
         candidates_mean candidates_p50 candidates_p99 candidates_max connect_latency_p50_ns \
         connect_latency_p99_ns peak_bound mean_bound; do
    jq -e --arg m "$m" '.metrics | has($m)' j.json >/dev/null
done

# ---- determinism: same seed, same digest; the database rows agree ----
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=120 --db a.db --quiet
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=120 --db b.db --quiet
q='select r.digest, m.requests, m.connects, m.connect_failures, m.mean_time_wait
   from runs r join metrics m on m.run_id = r.id'
expect_eq "$(sqlite3 b.db "$q")" "$(sqlite3 a.db "$q")" "metrics of a run repeated"
expect_eq "$(sqlite3 b.db 'select t, in_use, time_wait, connects, failures, requests from samples')" \
          "$(sqlite3 a.db 'select t, in_use, time_wait, connects, failures, requests from samples')" \
          "samples of a run repeated"
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=120 --seed 2 --db b.db --quiet
expect_eq "$(sqlite3 b.db 'select count(distinct digest) from runs')" 2 "digests of seeds 1 and 2"

# ---- replications: derived seeds, one row each ----
"$PORTSIM" run "$ex/kb319502.ini" --set run.duration=30 --replications 3 --db r.db --quiet
expect_eq "$(sqlite3 r.db 'select count(distinct seed) from runs')" 3 "seeds of 3 replications"

# ---- bad input: exit 2, a precise message, nothing written ----
cat >good.ini <<'INI'
[run]
duration = 60
INI
bad() {   # expected-substring file-contents-or-empty args...
    local want=$1 text=$2
    shift 2
    rm -f nodb.db
    if [ -n "$text" ]; then printf '%s\n' "$text" >bad.ini; fi
    expect_exit 2 "$PORTSIM" run "$@" --db nodb.db
    expect_stderr "$want"
    expect_file_absent nodb.db
}
bad "bad.ini:2: 'stack.time_wait'" $'[stack]\ntime_wait = -5' bad.ini
bad "(got '-5')" $'[stack]\ntime_wait = -5' bad.ini
bad "0..86400" $'[stack]\ntime_wait = 100000' bad.ini
bad "bad.ini:2: unknown key 'stack.tim_wait'" $'[stack]\ntim_wait = 5' bad.ini
bad "unknown section" $'[stak]\ntime_wait = 5' bad.ini
bad "'stack.profile'" $'[stack]\nprofile = win95' bad.ini
bad "win2000" $'[stack]\nprofile = win95' bad.ini
bad "'stack.allocator'" $'[stack]\nallocator = lottery' bad.ini
bad "'stack.port_max'" $'[stack]\nport_min = 6000\nport_max = 5000' bad.ini
bad "'stack.port_min'" $'[stack]\nport_min = 0' bad.ini
bad "65535" $'[stack]\nport_max = 70000' bad.ini
bad "'workload.rate'" $'[workload]\nrate = fast' bad.ini
bad "'workload.rate'" $'[workload]\nrate = 0' bad.ini
bad "'workload.arrivals'" $'[workload]\narrivals = bursty' bad.ini
bad "trace_file" $'[workload]\narrivals = trace' bad.ini
bad "'workload.servers'" $'[workload]\nservers = 0' bad.ini
bad "'workload.amplitude'" $'[workload]\namplitude = 2' bad.ini
bad "'run.duration'" $'[run]\nduration = 5 parsecs' bad.ini
bad "'run.warmup'" $'[run]\nduration = 10\nwarmup = 20' bad.ini
bad "'run.replications'" $'[run]\nreplications = 0' bad.ini
bad "'run.rng'" $'[run]\nrng = dice' bad.ini
bad "'stack.reserved_ports'" $'[stack]\nreserved_ports = 1025-5000' bad.ini
bad "'workload.close'" $'[workload]\nclose = maybe' bad.ini
bad "'stack.local_addresses'" $'[stack]\nlocal_addresses = 0' bad.ini
bad "--set stack.time_wait" "" good.ini --set stack.time_wait=abc
bad "--set" "" good.ini --set nonsense
bad "unknown key" "" good.ini --set stack.colour=blue
bad "'--seed'" "" good.ini --seed -3
bad "'--replications'" "" good.ini --replications 0
bad "unknown or incomplete option" "" good.ini --frobnicate
bad "No such file" "" missing.ini
# an existing database is left untouched by bad input
"$PORTSIM" run good.ini --db keep.db --quiet
sum=$(md5sum keep.db)
expect_exit 2 "$PORTSIM" run bad.ini --db keep.db
expect_eq "$(md5sum keep.db)" "$sum" "keep.db after bad input"

# ---- a file that is not a portsim database: exit 1 before the run ----
echo 'not a database' >text.db
expect_exit 1 "$PORTSIM" run good.ini --db text.db
expect_stderr 'text.db'
