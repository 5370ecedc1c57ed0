#!/usr/bin/env bash
# e2e_profiles.sh - 'portsim profiles' lists all eight profiles with their TIME_WAIT caps
# (issue 11); --help works.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
out=$("$PORTSIM" profiles)
for p in win2000 winxp win2003 win7 win8 linux freebsd macos; do
    grep -q "^$p " <<<"$out" || expect_fail "missing profile $p"
done
grep -q '^win2000 *1025-5000 *3976 *240 s' <<<"$out" || expect_fail "win2000's line: $out"
grep -q '^linux .*double-hash *per-destination' <<<"$out" || expect_fail "linux's line: $out"
# issue 11: winxp and win2003 at 120 s; the caps as the kernels size them, derived (+)
grep -q '^winxp *1025-5000 *3976 *120 s' <<<"$out" || expect_fail "winxp's line: $out"
grep -q '^win2003 *1025-5000 *3976 *120 s' <<<"$out" || expect_fail "win2003's line: $out"
grep -q '^linux .*tick 2.048 s) *32768 drop-new+' <<<"$out" || expect_fail "linux's cap: $out"
grep -q '^freebsd .* 27767 recycle+' <<<"$out" || expect_fail "freebsd's cap: $out"
grep -q '^macos .*exclusive *host ' <<<"$out" || expect_fail "macos's host-wide pool: $out"
expect_exit 0 "$PORTSIM" profiles --help
expect_stdout 'usage: portsim profiles'
expect_exit 2 "$PORTSIM" profiles bogus
