#!/usr/bin/env bash
# e2e_untrusted_db.sh - a database is untrusted input (issue 13): names
# holding quotes, newlines, non-UTF-8 bytes, <script>, a gnuplot command
# and 10 kB of text pass through report (every format), plot and html
# escaped, running nothing; and each parameter of a stored run corrupted in
# turn (a string, a negative, a huge number) gives report and html --run a
# page, a note or a clear error, never an abort, a signal or an overflow.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
root=$PWD
cd "$d"
"$PORTSIM" run "$root/experiments/kb319502/kb319502.ini" --set run.duration=20 --db base.db \
    --quiet
long=$(head -c 10240 /dev/zero | tr '\0' 'y')
names=("q'uo\"te" $'new\nline' $'bad\xff\xfebytes' '<script>alert(1)</script>'
       '"; system("touch x") #' $'\nsystem("touch x")\n#' "$long")
for i in "${!names[@]}"; do
    cp base.db n.db
    printf '%s' "${names[$i]}" >name.txt
    sqlite3 n.db "UPDATE runs SET remedy = CAST(readfile('name.txt') AS TEXT),
                  scenario_name = CAST(readfile('name.txt') AS TEXT)"
    for f in table csv json markdown; do
        expect_exit 0 "$PORTSIM" report --db n.db --format "$f"
    done
    if command -v python3 >/dev/null; then
        "$PORTSIM" report --db n.db --format json | python3 -c 'import json,sys; json.load(sys.stdin)'
        "$PORTSIM" report --db n.db --format csv | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
assert len(rows) == 2 and len(rows[0]) == len(rows[1]), rows'
    fi
    if command -v gnuplot >/dev/null; then
        expect_exit 0 "$PORTSIM" plot --db n.db --run 1 --out "p$i.svg" --script "p$i.gp" \
            --title "${names[$i]}"
        expect_no_grep -E '^system' "p$i.gp"
    fi
    expect_exit 0 "$PORTSIM" html --db n.db --run 1 --out "h$i.html"
    expect_no_grep '<script>alert' "h$i.html"   # the page's own time control aside
    expect_file_absent x
done

# each parameter of the stored run corrupted in turn
paths=$(sqlite3 base.db "SELECT fullkey FROM runs, json_tree(runs.params_json)
                         WHERE runs.id = 1 AND type NOT IN ('object', 'array')")
npaths=0 ncases=0
for p in $paths; do
    npaths=$((npaths + 1))
    for v in "'\"x\"'" "-1" "1e300" "-9223372036854775808" "json('[1,2]')"; do
        cp base.db c.db
        sqlite3 c.db "UPDATE runs SET params_json = json_set(params_json, '$p', $v)"
        for cmd in "report --db c.db --format json" "html --db c.db --run 1 --out c.html"; do
            ncases=$((ncases + 1))
            rc=0
            # shellcheck disable=SC2086
            "$PORTSIM" $cmd >out.txt 2>err.txt || rc=$?
            expect_num "$rc" -le 1 "exit status of '$cmd' with $p = $v (no signal)"
            if [ "$rc" -eq 1 ]; then
                expect_nonempty err.txt
            fi
        done
    done
done
expect_num "$npaths" -ge 20 "parameters corrupted in turn"
echo "untrusted database: ${#names[@]} hostile names, $npaths parameters x 5 corruptions" \
     "($ncases commands): escaped, no abort"
