#!/usr/bin/env bash
# e2e_trace.sh - 'portsim trace' against golden files, its three formats and
# its bad input.  UPDATE_GOLDEN=1 (make check UPDATE_GOLDEN=1) rewrites the
# golden files instead of comparing; review their diff like code.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

golden() {
    local name=$1
    shift
    "$PORTSIM" trace "$@" >"$tmp/$name.txt"
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        cp "$tmp/$name.txt" "tests/golden/$name.txt"
        echo "rewrote tests/golden/$name.txt"
    else
        diff -u "tests/golden/$name.txt" "$tmp/$name.txt"
    fi
}

# the pool runs dry at t = 4 s and the first TIME_WAIT entries end at 10.05 s
golden trace-eight-ports experiments/teach/eight-ports.ini --until 12
# reuse of TIME_WAIT ports: successes toward other servers, event 4227 toward the same one
golden trace-reuse-four-servers experiments/teach/reuse-four-servers.ini --until 12

# csv and json carry the same records; text has the same events plus '#' lines
s=experiments/teach/four-servers.ini
"$PORTSIM" trace "$s" --format csv >"$tmp/t.csv"
"$PORTSIM" trace "$s" --format json >"$tmp/t.json"
"$PORTSIM" trace "$s" >"$tmp/t.txt"
head -1 "$tmp/t.csv" | grep -qx 't,event,request,mailbox,server,port,until,in_use,time_wait,free,detail'
[ $(($(wc -l <"$tmp/t.csv") - 1)) -eq "$(wc -l <"$tmp/t.json")" ]
[ "$(grep -vc '^#' "$tmp/t.txt")" -eq "$(wc -l <"$tmp/t.json")" ]
if command -v jq >/dev/null 2>&1; then
    # every line is JSON, and the csv's events are the json's, in order
    jq -r .event "$tmp/t.json" >"$tmp/ev.json"
    tail -n +2 "$tmp/t.csv" | cut -d, -f2 >"$tmp/ev.csv"
    cmp "$tmp/ev.json" "$tmp/ev.csv"
    # a failure carries the state of the pool
    "$PORTSIM" trace experiments/teach/eight-ports.ini --until 5 --format json |
        jq -s -e 'map(select(.event == "fail")) | length == 2 and
                  all(.in_use == 0 and .time_wait == 8 and .free == 0)' >/dev/null
fi

# --limit stops after N records; --until stops the run
[ "$("$PORTSIM" trace "$s" --limit 7 --format csv | wc -l)" -eq 8 ]
"$PORTSIM" trace "$s" --limit 7 | grep -q '^# stopped after 7 lines (--limit)'
last=$("$PORTSIM" trace "$s" --until 3 --format csv | tail -1 | cut -d, -f1)
awk -v t="$last" 'BEGIN { exit !(t < 3) }'

# bad input: exit 2 (a missing file: 1, as for every command), nothing on stdout
set +e
"$PORTSIM" trace no-such.ini >"$tmp/out" 2>/dev/null; rc1=$?
"$PORTSIM" trace "$s" --format xml >>"$tmp/out" 2>/dev/null; rc2=$?
"$PORTSIM" trace "$s" --until -3 >>"$tmp/out" 2>/dev/null; rc3=$?
set -e
[ "$rc1" -ne 0 ] && [ "$rc2" -eq 2 ] && [ "$rc3" -eq 2 ] && [ ! -s "$tmp/out" ]

# the trace's counts are the run's metrics
if command -v jq >/dev/null 2>&1; then
    for f in experiments/teach/*.ini; do
        m=$("$PORTSIM" run "$f" --no-db --json)
        csv=$("$PORTSIM" trace "$f" --format csv)
        [ "$(grep -c '^[^,]*,connect,' <<<"$csv")" -eq "$(jq .metrics.connects <<<"$m")" ]
        [ "$(grep -c '^[^,]*,fail,' <<<"$csv" || true)" -eq \
          "$(jq .metrics.connect_failures <<<"$m")" ]
        [ "$(grep -c '^[^,]*,\(hit\|miss\),' <<<"$csv")" -eq \
          "$(jq '.metrics.connect_attempts + .metrics.cache_hits' <<<"$m")" ]
    done
fi
