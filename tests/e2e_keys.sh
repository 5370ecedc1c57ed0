#!/bin/bash
# e2e_keys.sh - 'portsim keys': the README's key table is the program's
# markdown output, and every format runs.
set -euo pipefail
PORTSIM=${PORTSIM:-build/portsim}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PORTSIM" keys --format markdown >"$tmp/keys.md"
sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' "$here/README.md" | sed '1d;$d' >"$tmp/readme.md"
if ! diff -u "$tmp/readme.md" "$tmp/keys.md"; then
    echo "README.md's key table differs from 'portsim keys --format markdown'" >&2
    exit 1
fi
"$PORTSIM" keys >"$tmp/keys.txt"
grep -q '^workload.rate ' "$tmp/keys.txt"
"$PORTSIM" keys --format json >"$tmp/keys.json"
grep -q '"key": "seed"' "$tmp/keys.json"
if "$PORTSIM" keys --format xml 2>"$tmp/err"; then
    echo "--format xml accepted" >&2
    exit 1
fi
grep -q "must be table, markdown or json" "$tmp/err"
