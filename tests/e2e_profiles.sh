#!/usr/bin/env bash
# e2e_profiles.sh - 'portsim profiles' lists all seven profiles; --help works.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
out=$("$PORTSIM" profiles)
for p in win2000 win2003 win7 win8 linux freebsd macos; do
    grep -q "^$p " <<<"$out" || expect_fail "missing profile $p"
done
grep -q '^win2000 *1025-5000 *3976 *240 s' <<<"$out" || expect_fail "win2000's line: $out"
grep -q '^linux .*double-hash *per-destination' <<<"$out" || expect_fail "linux's line: $out"
expect_exit 0 "$PORTSIM" profiles --help
expect_stdout 'usage: portsim profiles'
expect_exit 2 "$PORTSIM" profiles bogus
