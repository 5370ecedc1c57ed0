# tests/expect.sh - checks for the end-to-end scripts that fail when they
# should.  Source it from a script under 'set -eu':
#
#     . "${BASH_SOURCE%/*}/expect.sh"
#
# Why: under 'set -e' a failing '[ ... ]' at the head of an '&&' list, a
# command after '!', or a command before '|' does not stop the script, so
# "[ "$rc" -eq 2 ] && grep -q msg err.txt" passes whatever rc is.  Each
# function below instead prints what was expected and what came, with the
# caller's line, on stderr, and exits with status 1 (from a subshell: leaves
# the subshell).  tests/e2e_expect.sh checks that each one fails when it
# should and passes when it should.
#
#   expect_exit CODE [--] CMD...  run CMD; fail unless its exit status is CODE
#                                 (a number, or 'nonzero').  Its stdout and
#                                 stderr are kept in EXPECT_STDOUT/EXPECT_STDERR
#                                 and are not printed (redirect nothing).
#   expect_stdout [-E] PATTERN    the last expect_exit's stdout has PATTERN
#   expect_stderr [-E] PATTERN    the last expect_exit's stderr has PATTERN
#   expect_grep [-E] PATTERN FILE     FILE has a line with PATTERN
#   expect_no_grep [-E] PATTERN FILE  FILE has no line with PATTERN
#   expect_eq ACTUAL EXPECTED WHAT    equal strings
#   expect_num ACTUAL OP EXPECTED WHAT  integers; OP is -eq -ne -lt -le -gt -ge
#   expect_file F  /  expect_file_absent F  /  expect_nonempty F  /  expect_empty F
#   expect_fail MESSAGE...        fail now with MESSAGE
#
# PATTERN is a fixed string (grep -F) unless -E makes it an extended regex.

# The first line outside this file on the call stack: FILE:LINE.
_expect_where() {
    local i
    for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
        if [ "${BASH_SOURCE[$i]}" != "${BASH_SOURCE[0]}" ]; then
            echo "${BASH_SOURCE[$i]}:${BASH_LINENO[$((i - 1))]}"
            return
        fi
    done
    echo "?"
}

expect_fail() {
    {
        echo "FAIL at $(_expect_where): $1"
        shift
        local line
        for line in "$@"; do printf '    %s\n' "$line"; done
    } >&2
    exit 1
}

# _expect_indent TEXT: TEXT with each line indented, "(empty)" if empty.
_expect_indent() {
    if [ -z "$1" ]; then echo "(empty)"; else sed 's/^/        /' <<<"$1"; fi
}

expect_exit() {
    local want=$1 rc=0 out err
    shift
    if [ "${1:-}" = -- ]; then shift; fi
    [ $# -gt 0 ] || expect_fail "expect_exit: no command"
    out=$(mktemp)
    err=$(mktemp)
    "$@" >"$out" 2>"$err" || rc=$?
    EXPECT_STDOUT=$(cat "$out")
    EXPECT_STDERR=$(cat "$err")
    rm -f "$out" "$err"
    if [ "$want" = nonzero ] && [ "$rc" -ne 0 ]; then return 0; fi
    if [ "$want" = "$rc" ]; then return 0; fi
    expect_fail "exit status $rc, expected $want" "command: $*" \
        "stderr:" "$(_expect_indent "$EXPECT_STDERR")"
}

# _expect_has WHAT [-E] PATTERN TEXT
_expect_has() {
    local what=$1 mode=-F
    shift
    if [ "$1" = -E ]; then mode=-E; shift; fi
    grep -q $mode -- "$1" <<<"$2" ||
        expect_fail "$what lacks '$1'" "$what was:" "$(_expect_indent "$2")"
}

expect_stdout() { _expect_has "stdout" "$@" "${EXPECT_STDOUT-}"; }
expect_stderr() { _expect_has "stderr" "$@" "${EXPECT_STDERR-}"; }

expect_grep() {
    local mode=-F
    if [ "$1" = -E ]; then mode=-E; shift; fi
    [ -f "$2" ] || expect_fail "no file $2 (looking for '$1')"
    grep -q $mode -- "$1" "$2" ||
        expect_fail "$2 lacks '$1'" "$2 was (first 20 lines):" \
            "$(_expect_indent "$(head -n 20 "$2")")"
}

expect_no_grep() {
    local mode=-F
    if [ "$1" = -E ]; then mode=-E; shift; fi
    [ -f "$2" ] || expect_fail "no file $2"
    if grep -q $mode -- "$1" "$2"; then
        expect_fail "$2 has '$1'" "lines:" "$(_expect_indent "$(grep $mode -- "$1" "$2" | head -n 5)")"
    fi
}

expect_eq() {
    [ "$1" = "$2" ] ||
        expect_fail "${3:-value}: got '$1', expected '$2'"
}

expect_num() {
    case $2 in -eq|-ne|-lt|-le|-gt|-ge) ;; *) expect_fail "expect_num: bad operator '$2'" ;; esac
    [[ $1 =~ ^-?[0-9]+$ ]] || expect_fail "${4:-value}: '$1' is not a whole number"
    [[ $3 =~ ^-?[0-9]+$ ]] || expect_fail "${4:-value}: '$3' is not a whole number"
    [ "$1" "$2" "$3" ] ||
        expect_fail "${4:-value}: got $1, expected $2 $3"
}

expect_file()        { [ -e "$1" ] || expect_fail "$1 does not exist"; }
expect_file_absent() { [ ! -e "$1" ] || expect_fail "$1 exists, expected none"; }
expect_nonempty()    { [ -s "$1" ] || expect_fail "$1 is missing or empty"; }
expect_empty() {
    [ -e "$1" ] || expect_fail "$1 does not exist"
    [ ! -s "$1" ] || expect_fail "$1 is not empty:" "$(_expect_indent "$(head -n 20 "$1")")"
}
