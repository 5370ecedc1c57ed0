#!/usr/bin/env bash
# e2e_expect.sh - the checks of tests/expect.sh can fail: each one, given a
# wrong expectation in a subshell, exits non-zero and prints its message;
# given a right one, passes.  Uses no portsim.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf 'alpha\nbeta 42\n' >"$d/f.txt"
: >"$d/empty.txt"

# must_fail MESSAGE-PART CHECK...: CHECK in a subshell exits non-zero and
# says MESSAGE-PART on stderr.
must_fail() {
    local want=$1 rc=0
    shift
    ( "$@" ) >"$d/out" 2>"$d/err" || rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "should have failed: $*"
        exit 1
    fi
    if ! grep -qF -- "$want" "$d/err" || ! grep -q '^FAIL at ' "$d/err"; then
        echo "failed without the message '$want': $*"
        cat "$d/err"
        exit 1
    fi
}
must_pass() {
    local rc=0
    ( "$@" ) >"$d/out" 2>"$d/err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "should have passed: $*"
        cat "$d/err"
        exit 1
    fi
}
sh_c() { bash -c "$1"; }

# expect_exit: the status, the command and its stderr in the message
must_fail 'exit status 3, expected 2' expect_exit 2 sh_c 'echo oops >&2; exit 3'
must_fail 'command: sh_c echo oops >&2; exit 3' expect_exit 2 sh_c 'echo oops >&2; exit 3'
must_fail 'oops' expect_exit 2 sh_c 'echo oops >&2; exit 3'
must_fail 'exit status 0, expected 99' expect_exit 99 -- true
must_fail 'exit status 0, expected nonzero' expect_exit nonzero true
must_pass expect_exit 3 sh_c 'exit 3'
must_pass expect_exit 0 -- true
must_pass expect_exit nonzero false
# its output is kept, not printed; the caller's line is named
expect_exit 4 sh_c 'echo to-out; echo to-err >&2; exit 4'
expect_eq "$EXPECT_STDOUT" to-out "stdout kept"
expect_eq "$EXPECT_STDERR" to-err "stderr kept"
must_fail 'e2e_expect.sh:' expect_exit 1 true

# expect_stdout / expect_stderr, fixed strings and -E
expect_exit 1 sh_c 'echo "a (b) c"; echo "err 12" >&2; exit 1'
must_pass expect_stdout 'a (b) c'
must_fail "stdout lacks 'zzz'" expect_stdout zzz
must_pass expect_stderr -E '^err [0-9]+$'
must_fail "stderr lacks 'a (b)'" expect_stderr 'a (b)'

# expect_grep / expect_no_grep
must_pass expect_grep 'beta 42' "$d/f.txt"
must_pass expect_grep -E '^beta [0-9]+$' "$d/f.txt"
must_fail "lacks 'gamma'" expect_grep gamma "$d/f.txt"
must_fail 'no file' expect_grep alpha "$d/nosuch"
must_pass expect_no_grep gamma "$d/f.txt"
must_fail "has 'alpha'" expect_no_grep alpha "$d/f.txt"

# expect_eq / expect_num
must_pass expect_eq "x y" "x y" words
must_fail "words: got 'x', expected 'y'" expect_eq x y words
must_pass expect_num 8 -eq 8 rows
must_pass expect_num 9 -gt 8 rows
must_fail 'rows: got 7, expected -eq 8' expect_num 7 -eq 8 rows
must_fail 'rows: got 8, expected -gt 8' expect_num 8 -gt 8 rows
must_fail "'' is not a whole number" expect_num "" -eq 0 count
must_fail "bad operator" expect_num 1 == 1 count

# files
must_pass expect_file "$d/f.txt"
must_fail 'does not exist' expect_file "$d/nosuch"
must_pass expect_file_absent "$d/nosuch"
must_fail 'exists, expected none' expect_file_absent "$d/f.txt"
must_pass expect_nonempty "$d/f.txt"
must_fail 'missing or empty' expect_nonempty "$d/empty.txt"
must_pass expect_empty "$d/empty.txt"
must_fail 'is not empty' expect_empty "$d/f.txt"
must_fail 'by hand' expect_fail 'by hand'

# and a failing check stops a script under set -e, even inside '&&'
rc=0
bash -c 'set -eu; . "$1"; expect_num 1 -eq 2 x && true; echo not reached' _ \
    "${BASH_SOURCE%/*}/expect.sh" >"$d/out" 2>"$d/err" || rc=$?
expect_num "$rc" -eq 1 "status of a script whose check failed"
expect_empty "$d/out"
echo "expect.sh: every check fails when it should and passes when it should"
