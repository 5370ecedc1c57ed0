#!/usr/bin/env bash
# e2e_lanes.sh - issue 12's picture: the fleet question (experiments/cloud/
# fleet.ini, 2 public IPs) recorded with one lane per public IP (nat_lanes,
# the nat_lane_samples view), carried the same through a sweep's workers,
# drawn by 'portsim plot' as one panel per IP (SVG text: both IPs with the
# vendor's words; PNG of the lanes' height) and by 'portsim html' from the
# scenario and from the database; a run without [nat] has no lanes and
# keeps its old picture.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
command -v gnuplot >/dev/null || { echo "SKIP gnuplot is not installed (tools/deps.sh)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fleet=experiments/cloud/fleet.ini
words='SNAT Connection Count Failed'

expect_exit 0 "$PORTSIM" run "$fleet" --db "$tmp/f.db"
expect_eq "$(sqlite3 "$tmp/f.db" "SELECT group_concat(ip || ':' || n) FROM nat_lanes")" \
    "0:300,1:300" "a lane of 300 samples per public IP"
# per sample, the lanes' drops sum to what the IPs' metrics count after the
# warm-up (150 s): the samples at t > 150 s hold the drops of (150 s, 299 s]
expect_num "$(sqlite3 "$tmp/f.db" "SELECT sum(drops) FROM nat_lane_samples")" -gt 0 \
    "the lanes hold dropped SYNs"
expect_num "$(sqlite3 "$tmp/f.db" "SELECT max(ports) FROM nat_lane_samples WHERE ip = 1")" \
    -le 64512 "an IP's ports in use within its range"

# a sweep's workers carry the lanes: the baseline's lanes are the run's
cat >"$tmp/s.sweep" <<EOF
[sweep]
name = lanes
scenario = $PWD/$fleet
seed = 1

[remedy baseline]

[remedy third-ip]
nat.public_ips = 3
EOF
expect_exit 0 "$PORTSIM" sweep "$tmp/s.sweep" --db "$tmp/s.db" --jobs 2
expect_eq "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM nat_lanes")" 5 "2 + 3 lanes"
expect_eq "$(sqlite3 "$tmp/s.db" "SELECT l.data FROM nat_lanes l JOIN runs r ON r.id = \
l.run_id WHERE r.remedy = 'baseline' AND l.ip = 1")" \
    "$(sqlite3 "$tmp/f.db" "SELECT data FROM nat_lanes WHERE ip = 1")" \
    "the baseline's lane through the workers"

expect_exit 0 "$PORTSIM" plot --db "$tmp/f.db" --run 1 --out "$tmp/l.svg"
expect_stdout "(960x600)"
expect_grep "public IP 0: " "$tmp/l.svg"
expect_grep "public IP 1: " "$tmp/l.svg"
expect_no_grep "public IP 2" "$tmp/l.svg"
expect_grep "SYNs dropped ($words)" "$tmp/l.svg"
expect_grep "limit toward one destination: 50,000" "$tmp/l.svg"
third=$(sqlite3 "$tmp/s.db" "SELECT id FROM runs WHERE remedy = 'third-ip'")
expect_exit 0 "$PORTSIM" plot --db "$tmp/s.db" --run "$third" --out "$tmp/l3.png"
expect_stdout "(960x610)"          # 3 lanes: 150 x 3 + 160 pixels high
expect_nonempty "$tmp/l3.png"

expect_exit 0 "$PORTSIM" html "$fleet" --out "$tmp/f.html"
expect_eq "$(grep -c 'class="lane"' "$tmp/f.html")" 2 "two lanes on the page"
expect_grep "public IP 0</tspan>: " "$tmp/f.html"
expect_grep "public IP 1</tspan>: " "$tmp/f.html"
expect_grep "($words)" "$tmp/f.html"
# the headline does not read as if nothing failed: the NAT's drops are named
expect_grep -E "The NAT dropped [0-9,]+ SYNs \($words\)</strong>, the first by t = [0-9]" \
    "$tmp/f.html"
expect_exit 0 "$PORTSIM" html --db "$tmp/f.db" --run 1 --out "$tmp/r.html"
expect_eq "$(grep -c 'class="lane"' "$tmp/r.html")" 2 "two lanes on the page of the run"
expect_no_grep "No port chart" "$tmp/r.html"

# without [nat]: no lanes, the picture of ports and TIME_WAIT as before
expect_exit 0 "$PORTSIM" run experiments/kb319502/kb319502.ini --db "$tmp/k.db" \
    --set run.duration=60
expect_eq "$(sqlite3 "$tmp/k.db" "SELECT count(*) FROM nat_lanes")" 0 "no lanes"
expect_exit 0 "$PORTSIM" plot --db "$tmp/k.db" --run 1 --out "$tmp/k.svg"
expect_no_grep "public IP" "$tmp/k.svg"
expect_grep "ports in TIME_WAIT" "$tmp/k.svg"
expect_exit 0 "$PORTSIM" html experiments/kb319502/kb319502.ini --set run.duration=60 \
    --out "$tmp/k.html"
expect_no_grep 'class="lane"' "$tmp/k.html"
echo "e2e_lanes: ok"
