#!/usr/bin/env bash
# e2e_profiles.sh - 'portsim profiles' lists all seven profiles; --help works.
set -eu
out=$("$PORTSIM" profiles)
for p in win2000 win2003 win7 win8 linux freebsd macos; do
    echo "$out" | grep -q "^$p " || { echo "missing profile $p"; exit 1; }
done
echo "$out" | grep -q '^win2000 *1025-5000 *3976 *240 s'
echo "$out" | grep -q '^linux .*double-hash *per-destination'
"$PORTSIM" profiles --help | grep -q 'usage: portsim profiles'
set +e
"$PORTSIM" profiles bogus 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 2 ]
