#!/usr/bin/env bash
# e2e_experiments.sh - every scenario under experiments/ gives the digest in
# tests/golden/experiment-digests.txt (one line per scenario: run name,
# digest).  The table pins behaviour across refactoring: a change of layout
# or code must leave every experiment's event stream as it was.  A deliberate
# change of behaviour rewrites the table (UPDATE_GOLDEN=1) in the same commit
# and says why.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

while IFS= read -r f; do
    "$PORTSIM" run "$f" --no-db --json >"$tmp/j.json"
    name=$(sed -n 's/.*"run":{[^}]*"name":"\([^"]*\)".*/\1/p' "$tmp/j.json")
    digest=$(sed -n 's/.*"digest":"\([0-9a-f]*\)".*/\1/p' "$tmp/j.json")
    echo "$name $digest"
done < <(find experiments -name '*.ini' | sort) | sort >"$tmp/digests.txt"

if [ -n "${UPDATE_GOLDEN:-}" ]; then
    cp "$tmp/digests.txt" tests/golden/experiment-digests.txt
    echo "rewrote tests/golden/experiment-digests.txt"
else
    diff -u tests/golden/experiment-digests.txt "$tmp/digests.txt"
fi
