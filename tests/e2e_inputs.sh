#!/usr/bin/env bash
# e2e_inputs.sh - bad input files through the program (issue 13): one exit
# status for a missing or unreadable input in every command (2, bad input),
# and the reader findings refused with their place: text after a section
# header, CR-only line endings, bytes that are not UTF-8, a key or section
# given twice (scenario and sweep alike), a trace file without end.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# ---- a missing or unreadable input file: exit 2 in every command ----
for cmd in run capacity theory trace calibrate; do
    expect_exit 2 "$PORTSIM" "$cmd" missing.ini
    expect_stderr "missing.ini: No such file or directory"
    expect_exit 2 "$PORTSIM" "$cmd" "$tmp"          # a directory is no scenario
    expect_stderr "Is a directory"
done
expect_exit 2 "$PORTSIM" html missing.ini --out p.html
expect_stderr "missing.ini: No such file or directory"
expect_file_absent p.html
expect_exit 2 "$PORTSIM" sweep missing.sweep --db s.db
expect_stderr "missing.sweep: No such file or directory"
expect_exit 2 "$PORTSIM" sweep missing.sweep --dry-run
for cmd in "report" "plot --sweep x --out p.png" "html --run 1 --out p.html"; do
    # shellcheck disable=SC2086
    expect_exit 2 "$PORTSIM" $cmd --db missing.db
    expect_stderr "missing.db: no such database"
done
expect_file_absent missing.db
expect_exit 2 "$PORTSIM" merge out.db missing.db

# ---- the reader findings, in a scenario file and in a sweep file ----
bad() {     # bad FILE TEXT WANT: FILE holding TEXT is refused (2) with WANT
    printf '%b' "$2" >"$1"
    case $1 in
    *.sweep) expect_exit 2 "$PORTSIM" sweep "$1" --dry-run ;;
    *) expect_exit 2 "$PORTSIM" run "$1" --db r.db ;;
    esac
    expect_stderr "$3"
}
bad a.ini '[run] duration = 10s\n' \
    "a.ini:1: text after ']' in a section header (got 'duration = 10s')"
bad b.ini '[run]\rduration = 10s\r' "b.ini:1: a carriage return inside the line at column 6"
bad c.ini '[run]\nname = caf\xe9\n' "c.ini:2: not UTF-8 text at column 11 (byte 0xE9)"
bad d.ini '[run]\nduration = 1s\n[run]\nseed = 2\n' \
    "d.ini:3: section '[run]' appears twice (first at line 1)"
bad e.ini '[run]\nduration = 1s\nduration = 2s\n' \
    "e.ini:3: 'run.duration' is set twice (first at e.ini:2)"
expect_file_absent r.db
printf '[run]\nduration = 10s\n' >base.ini
bad a.sweep '[sweep] scenario = base.ini\n' "a.sweep:1: text after ']'"
bad b.sweep '[sweep]\rscenario = base.ini\r' "b.sweep:1: a carriage return inside the line"
bad c.sweep '[sweep]\nscenario = base.ini\nname = caf\xe9\n' \
    "c.sweep:3: not UTF-8 text at column 11"
bad d.sweep '[sweep]\nscenario = base.ini\n[sweep]\nseed = 2\n' \
    "d.sweep:3: section '[sweep]' appears twice (first at line 1)"
bad e.sweep '[sweep]\nscenario = base.ini\nseed = 1\nseed = 2\n' \
    "e.sweep:4: 'sweep.seed' is set twice (first at line 3)"
expect_exit 2 "$PORTSIM" run --set $'run.name=caf\xe9' --db r.db
expect_stderr "--set run.name: must be UTF-8 text (byte 0xE9 at column 4 is not)"

# CRLF files and comments of any length are read
printf '# %0500d\r\n[run]\r\nduration = 10s ; %0500d\r\nseed = 3\r\n' 0 0 >crlf.ini
expect_exit 0 "$PORTSIM" run crlf.ini --no-db --json
expect_stdout '"duration":10'

# ---- trace files: bounded, their arrivals in the hash ----
expect_exit 2 "$PORTSIM" run --set workload.arrivals=trace --set workload.trace_file=/dev/zero \
    --no-db
expect_stderr "/dev/zero:1: not a text file (contains a NUL byte)"
printf '[workload]\narrivals = trace\ntrace_file = t.csv\n[run]\nduration = 10s\n' >t.ini
printf '0\n1\n2\n' >t.csv
"$PORTSIM" run t.ini --db t.db --quiet
printf '0\n1\n3\n' >t.csv             # the same file name, other arrivals: another run
"$PORTSIM" run t.ini --db t.db --quiet
expect_exit 0 sqlite3 t.db \
    'select count(distinct params_hash), count(distinct params_json) from runs'
expect_stdout '2|1'
