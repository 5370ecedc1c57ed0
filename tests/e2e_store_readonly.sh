#!/usr/bin/env bash
# e2e_store_readonly.sh - the readers (report, plot's script, html, a sweep's
# dry run) work on a database in a directory nobody may write, as a user
# who may not write it, and leave the directory as it was; a writer (run)
# fails there with exit 1.  As root the readers run as 'nobody' (setpriv),
# since root writes anything; without setpriv the test is skipped.
set -eu
d=$(mktemp -d)
trap 'chmod -R u+w "$d"; rm -rf "$d"' EXIT
root=$PWD
ex=$root/experiments/kb319502
mkdir "$d/ro"
cat >"$d/mini.sweep" <<INI
[sweep]
name = mini
scenario = $ex/kb319502.ini
[remedy baseline]
run.duration = 120
[vary]
workload.rate = 10, 40
INI
"$PORTSIM" sweep "$d/mini.sweep" --db "$d/ro/p.db" --quiet
as=()
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null || { echo "SKIP: setpriv is not installed"; exit 77; }
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
chmod 755 "$d"
mkdir "$d/out"
chmod 777 "$d/out"              # where the readers write their files
chmod 444 "$d/ro/p.db"
chmod 555 "$d/ro"
before=$(ls -la "$d/ro")
cd "$d"

"${as[@]}" "$PORTSIM" report --db ro/p.db --sweep mini >rep.txt 2>err.txt || {
    cat err.txt; exit 1; }
grep -q baseline rep.txt
test ! -s err.txt
"${as[@]}" "$PORTSIM" report --db ro/p.db --format csv >rep.csv
test "$(wc -l <rep.csv)" -eq 3
"${as[@]}" "$PORTSIM" html --db ro/p.db --run 1 --out out/page.html
grep -q '<html' out/page.html
"${as[@]}" "$PORTSIM" sweep mini.sweep --db ro/p.db --dry-run >dry.txt
grep -q '2 already recorded' dry.txt
if command -v gnuplot >/dev/null; then
    "${as[@]}" "$PORTSIM" plot --db ro/p.db --sweep mini --out out/s.svg --script out/s.gp
    grep -q 'closed form (Erlang B) of each point' out/s.gp
fi
# a writer cannot record there, and says so (exit 1)
rc=0
"${as[@]}" "$PORTSIM" run "$ex/kb319502.ini" --set run.duration=10 --db ro/p.db --quiet \
    2>werr.txt || rc=$?
test "$rc" -eq 1
test -s werr.txt
# the directory is as it was: no -wal, no -shm, nothing created
test "$(ls -la ro)" = "$before"
echo "readers work on a read-only database"
