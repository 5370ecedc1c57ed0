#!/usr/bin/env bash
# e2e_outputs.sh - outputs that cannot lie and cannot be hijacked (issue 13):
# a database path that SQLite would keep in memory is refused; every
# command's standard output is checked (> /dev/full is exit 1 with a
# message); merge refuses a file into itself and a failed merge leaves no
# new file; a file-size limit is a message and no partial file, never
# SIGXFSZ; a name or --title holding a newline and a gnuplot command draws
# a label and runs nothing; HTML escapes what a database holds; a missing
# input file is exit 2 in every command.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
root=$PWD
ex=$root/experiments/kb319502
cd "$d"
short=(--set run.duration=10s)

# -- databases that would vanish at exit
for db in "" ":memory:"; do
    expect_exit 2 "$PORTSIM" run "${short[@]}" --db "$db" --quiet
    expect_stderr "name a file"
    expect_exit 2 "$PORTSIM" report --db "$db"
    expect_stderr "name a file"
done
expect_exit 2 "$PORTSIM" merge "" a.db
expect_file_absent portsim.db

# -- standard output that cannot be written is exit 1 with a message
cat >mini.sweep <<INI
[sweep]
name = mini
scenario = $ex/kb319502.ini
[remedy baseline]
run.duration = 60
[vary]
workload.rate = 10, 40
INI
"$PORTSIM" run "${short[@]}" --db a.db --quiet
"$PORTSIM" run "${short[@]}" --db b.db --quiet --seed 7
full() { "$@" >/dev/full; }
for cmd in "run ${short[*]} --db a.db" "profiles" "merge m.db b.db" \
           "sweep mini.sweep --db a.db --dry-run" "--help" "run --help" \
           "capacity ${short[*]} --set workload.rate=5" "report --db a.db" "keys"; do
    # shellcheck disable=SC2086
    expect_exit 1 full "$PORTSIM" $cmd
    expect_stderr -E "cannot write.*No space left on device"
done

# -- merge: never a file into itself, never a new file left by a failure
start=$(date +%s)
expect_exit 2 "$PORTSIM" merge a.db a.db
expect_stderr "cannot be merged into itself"
# at once, not after the 10 s busy wait (a loose bound: valgrind is slow)
expect_num $(($(date +%s) - start)) -le 7 "seconds to refuse a merge into itself"
ln -s a.db link.db
expect_exit 2 "$PORTSIM" merge link.db a.db
expect_stderr "itself"
printf 'SQLite format 3\0 but cut short' >cut.db
expect_exit 1 "$PORTSIM" merge new.db b.db cut.db
expect_file_absent new.db
expect_file_absent new.db-wal

# -- a file-size limit is a message and no partial file, not a signal death
echo "old page" >page.html
rc=0
(ulimit -f 4; "$PORTSIM" html "$ex/kb319502.ini" "${short[@]}" --out page.html) \
    2>fsz.txt || rc=$?
expect_num "$rc" -eq 1 "exit status of html over a 4 kB file-size limit"
expect_grep "page.html: cannot write it" fsz.txt
expect_eq "$(cat page.html)" "old page" "the existing page, kept whole"
expect_file_absent "page.html.tmp-*"

# -- names from a database and --title never reach gnuplot as commands
evil=$'n\nsystem("touch x")\n#'
sqlite3 a.db "update runs set scenario_name = 'n'||char(10)||'system(\"touch pwned\")'||
    char(10)||'#', remedy = '<script>alert(1)</script>'"
if command -v gnuplot >/dev/null; then
    expect_exit 0 "$PORTSIM" plot --db a.db --run 1 --out p.svg --title "$evil" --script p.gp
    expect_file_absent x
    expect_file_absent pwned
    expect_no_grep -E '^system' p.gp
    expect_grep "set output 'p.svg'" p.gp
    # a picture cut short by a file-size limit is an error, the old one stays
    echo "old picture" >p.png
    rc=0
    (ulimit -f 64; "$PORTSIM" plot --db a.db --run 1 --out p.png --size 3000x3000) \
        >plot.txt 2>plot.err || rc=$?
    expect_num "$rc" -eq 1 "exit status of plot over a 64 kB file-size limit"
    expect_grep "incomplete picture" plot.err
    expect_no_grep "wrote" plot.txt
    expect_eq "$(cat p.png)" "old picture" "the existing picture, kept whole"
else
    echo "SKIP part: gnuplot is not installed"
fi
expect_exit 2 "$PORTSIM" plot --db a.db --run 1 --out "$(printf 'p\n.svg')"
expect_exit 0 "$PORTSIM" html "$ex/kb319502.ini" "${short[@]}" --set 'run.name=<script>"x' \
    --out r.html
# the page's own inline script (the time control) is the only <script>: the
# name is escaped
expect_no_grep '<script>"x' r.html
expect_grep "&lt;script&gt;" r.html
expect_eq "$(grep -c '<script>' r.html)" 1 "inline scripts in the page"
# -- one exit status per kind of failure: an input file that cannot be read is 2
for cmd in "run missing.ini" "capacity missing.ini" "theory missing.ini" "trace missing.ini" \
           "html missing.ini --out m.html" "sweep missing.sweep" "merge m.db missing.db"; do
    # shellcheck disable=SC2086
    expect_exit 2 "$PORTSIM" $cmd
    expect_stderr "missing."
done
echo "outputs: checked, atomic, escaped"
