#!/usr/bin/env bash
# e2e_trace.sh - 'portsim trace' against golden files, its three formats and
# its bad input.  UPDATE_GOLDEN=1 (make check UPDATE_GOLDEN=1) rewrites the
# golden files instead of comparing; review their diff like code.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
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
expect_num $(($(wc -l <"$tmp/t.csv") - 1)) -eq "$(wc -l <"$tmp/t.json")" "csv records vs json lines"
expect_num "$(grep -vc '^#' "$tmp/t.txt")" -eq "$(wc -l <"$tmp/t.json")" "text events vs json lines"
if command -v jq >/dev/null 2>&1; then
    # every line is JSON, and the csv's events are the json's, in order
    jq -r .event "$tmp/t.json" >"$tmp/ev.json"
    tail -n +2 "$tmp/t.csv" | cut -d, -f2 >"$tmp/ev.csv"
    cmp "$tmp/ev.json" "$tmp/ev.csv"
    # a failure carries the state of the pool
    "$PORTSIM" trace experiments/teach/eight-ports.ini --until 5 --format json >"$tmp/e.json"
    jq -s -e 'map(select(.event == "fail")) | length == 2 and
              all(.in_use == 0 and .time_wait == 8 and .free == 0)' "$tmp/e.json" >/dev/null
fi

# --limit stops after N records; --until stops the run
expect_exit 0 "$PORTSIM" trace "$s" --limit 7 --format csv
expect_num "$(wc -l <<<"$EXPECT_STDOUT")" -eq 8 "lines of --limit 7 --format csv"
expect_exit 0 "$PORTSIM" trace "$s" --limit 7
expect_stdout -E '^# stopped after 7 lines \(--limit\)'
expect_exit 0 "$PORTSIM" trace "$s" --until 3 --format csv
last=$(tail -n 1 <<<"$EXPECT_STDOUT" | cut -d, -f1)
awk -v t="$last" 'BEGIN { exit !(t < 3) }' || expect_fail "--until 3: last record at $last"

# bad input: exit 2 (a missing file too, as in every command), nothing on stdout
expect_exit 2 "$PORTSIM" trace no-such.ini
expect_eq "$EXPECT_STDOUT" "" "stdout of a missing file"
expect_exit 2 "$PORTSIM" trace "$s" --format xml
expect_eq "$EXPECT_STDOUT" "" "stdout of --format xml"
expect_exit 2 "$PORTSIM" trace "$s" --until -3
expect_eq "$EXPECT_STDOUT" "" "stdout of --until -3"

# the trace's counts are the run's metrics
if command -v jq >/dev/null 2>&1; then
    for f in experiments/teach/*.ini; do
        m=$("$PORTSIM" run "$f" --no-db --json)
        csv=$("$PORTSIM" trace "$f" --format csv)
        expect_num "$(grep -c '^[^,]*,connect,' <<<"$csv")" -eq "$(jq .metrics.connects <<<"$m")" \
            "$f: connect records vs connects"
        expect_num "$(grep -c '^[^,]*,fail,' <<<"$csv" || true)" -eq \
            "$(jq .metrics.connect_failures <<<"$m")" "$f: fail records vs connect_failures"
        expect_num "$(grep -c '^[^,]*,\(hit\|miss\),' <<<"$csv")" -eq \
            "$(jq '.metrics.connect_attempts + .metrics.cache_hits' <<<"$m")" \
            "$f: hit and miss records vs connect_attempts + cache_hits"
    done
fi
