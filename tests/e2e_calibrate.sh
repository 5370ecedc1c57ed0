#!/usr/bin/env bash
# e2e_calibrate.sh - 'portsim calibrate' on this host's kernel: 100 ports at
# 10/s fail first at attempt 101 (t = 10.0 s) in the kernel and in the
# simulation; a TIME_WAIT cap of 50 never fails in either; both runs are
# recorded (source kernel and sim) and 'report --calibration' shows them;
# bad input exits 2, a user who is not root gets exit 1, SIGINT removes the
# namespaces and records nothing.  Needs root, 'ip' and network namespaces:
# otherwise SKIP (exit 77).  About 35 s (two kernel runs side by side).
set -eu
ex=$PWD/experiments/calibrate

[ "$(id -u)" -eq 0 ] || { echo "SKIP calibrate needs root"; exit 77; }
ip=$(command -v ip || true)
[ -n "$ip" ] || for p in /usr/sbin/ip /sbin/ip; do [ -x "$p" ] && ip=$p; done
[ -n "$ip" ] || { echo "SKIP 'ip' (iproute2) is not installed"; exit 77; }
probe=portsim-e2e-probe-$$
"$ip" netns add "$probe" 2>/dev/null || { echo "SKIP cannot make network namespaces"; exit 77; }
"$ip" netns del "$probe"

d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"

# ---- bad input: exit 2, before any namespace is made ----
for bad in "stack.profile=win2000" "run.duration=121" "workload.cache_ttl=1" \
           "workload.rate=2000"; do
    rc=0
    "$PORTSIM" calibrate "$ex/narrow-dry.ini" --set "$bad" --no-db 2>err.txt || rc=$?
    [ "$rc" = 2 ] || { echo "--set $bad: exit $rc"; exit 1; }
    grep -q '^portsim calibrate: ' err.txt
done
rc=0; "$PORTSIM" calibrate --no-db 2>/dev/null || rc=$?; [ "$rc" = 2 ]
[ ! -e portsim.db ]

# ---- not root: a clear message, exit 1 ----
if command -v setpriv >/dev/null; then
    rc=0
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$PORTSIM" calibrate "$ex/narrow-dry.ini" --no-db 2>err.txt || rc=$?
    [ "$rc" = 1 ]
    grep -q 'needs root' err.txt
fi

# ---- the two calibrations, side by side ----
"$PORTSIM" calibrate "$ex/narrow-dry.ini" --db narrow.db --json >narrow.json &
p1=$!
"$PORTSIM" calibrate "$ex/tw-cap-50.ini" --db cap.db --json >cap.json &
p2=$!
wait "$p1"
wait "$p2"

# narrow: the 101st attempt, at 10.0 s, is the first to fail in both
jq -e '.kernel.first_failure_attempt == 101 and .sim.first_failure_attempt == 101' narrow.json
jq -e '.sim.metrics.first_failure_time == 10' narrow.json
jq -e '.kernel.metrics.first_failure_time >= 10 and .kernel.metrics.first_failure_time < 10.1' \
    narrow.json
jq -e '.kernel.attempts[100].errno == "EADDRNOTAVAIL" and .kernel.attempts[99].errno == null' \
    narrow.json
jq -e '.kernel.attempts | length == 200' narrow.json
jq -e '[.kernel.attempts[0:100][].port] | unique | length == 100' narrow.json
jq -e '[.kernel.attempts[0:100][].port] | min >= 40000 and max <= 40099' narrow.json
for m in connects connect_failures failures_exhausted peak_time_wait; do
    jq -e --arg m "$m" '.kernel.metrics[$m] == .sim.metrics[$m]' narrow.json
done
jq -e '.sysctls["net.ipv4.ip_local_port_range"] == "40000 40099"' narrow.json

# cap 50: every connect succeeds in both, TIME_WAIT never above 50
jq -e '.kernel.metrics.connect_failures == 0 and .sim.metrics.connect_failures == 0' cap.json
jq -e '.kernel.metrics.connects == 300 and .sim.metrics.connects == 300' cap.json
jq -e '.kernel.metrics.peak_time_wait <= 50 and .sim.metrics.peak_time_wait == 50' cap.json
jq -e '.sysctls["net.ipv4.tcp_max_tw_buckets"] == "50"' cap.json

# ---- recorded: one sim and one kernel run, side by side in the report ----
[ "$(sqlite3 narrow.db 'select group_concat(source) from (select source from runs order by id)')" \
  = "sim,kernel" ]
[ "$(sqlite3 narrow.db "select count(*) from samples s join runs r on r.id = s.run_id
                         where r.source = 'kernel'")" = 80 ]
"$PORTSIM" report --calibration --db narrow.db >report.txt
grep -q '^narrow-dry (seed 1): kernel run 2, simulated run 1' report.txt
grep -Eq '^  first_failure_time +10\.0[0-9]+ s +10\.000 s' report.txt
"$PORTSIM" report --calibration --db narrow.db --format csv |
    grep -q '^narrow-dry,1,2,1,connects,100,100,0$'
"$PORTSIM" report --db narrow.db 2>&1 | grep -q '1 kernel runs left out'

# ---- SIGINT: the namespaces go, nothing is recorded, exit 1 ----
"$PORTSIM" calibrate "$ex/narrow-dry.ini" --db int.db 2>int.txt >/dev/null &
p=$!
sleep 2
kill -INT "$p"
rc=0; wait "$p" || rc=$?
[ "$rc" = 1 ]
grep -q 'interrupted' int.txt
[ "$(sqlite3 int.db 'select count(*) from runs')" = 0 ]

# none of our runs left a namespace behind (they are named after the pid)
if "$ip" netns list | grep -E "^portsim-cal-($p1|$p2|$p)-"; then
    echo "namespaces left behind"
    exit 1
fi
echo "calibrate ok"
