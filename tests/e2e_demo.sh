#!/usr/bin/env bash
# e2e_demo.sh - 'make demo' as a new user meets it: the KB 319502 failure,
# the remedy's effect, and a database query the demo suggests that works.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
PORTSIM_DB="$d/demo.db" tools/demo.sh "$PORTSIM" >"$d/out.txt"
grep -q 'failed with WSAEADDRINUSE (10048)' "$d/out.txt"
grep -q 'no connect() failed' "$d/out.txt"
query=$(sed -n "s/^  sqlite3 -header -column [^ ]* '\(.*\)'$/\1/p" "$d/out.txt")
[ -n "$query" ] || expect_fail "the demo suggests no sqlite3 query"
expect_exit 0 sqlite3 "$d/demo.db" "$query"
expect_num "$(wc -l <<<"$EXPECT_STDOUT")" -eq 2 "lines of the suggested query's answer"
