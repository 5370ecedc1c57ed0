#!/usr/bin/env bash
# e2e_readme.sh - the outputs pasted in README.md are the program's.
#
# A fenced block right after a line
#     <!-- output: COMMAND -->
# must be exactly what COMMAND prints (a first line "$ ..." in the block is
# the command as a reader types it, and is left out of the comparison); after
#     <!-- excerpt: COMMAND -->
# every line of the block but "...", "--" (blanks before them allowed) and
# "$ ..." lines must occur in
# COMMAND's output, in the same order (an excerpt with elisions).
# COMMAND runs from the repository root under bash, with 'portsim' on PATH
# being $PORTSIM and PORTSIM_DB a database holding the demo's two runs
# (runs 1 and 2), or, for a command with '--sweep kb319502-remedies', one
# holding that sweep (experiments/kb319502/remedies.sweep, made only then).
# tools/readme-outputs.py rewrites the output blocks from the program.
# Each failing block is named with its line and shown as a diff.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$PWD
mkdir "$tmp/bin"
ln -s "$(realpath "$PORTSIM")" "$tmp/bin/portsim"
export PATH="$tmp/bin:$PATH" PORTSIM_DB="$tmp/portsim.db"

# the blocks: N.kind, N.cmd, N.txt, N.line
awk -v dir="$tmp" '
    match($0, /^<!-- (output|excerpt): .* -->$/) {
        n++; kind = $2; sub(/:$/, "", kind)
        cmd = $0; sub(/^<!-- (output|excerpt): /, "", cmd); sub(/ -->$/, "", cmd)
        print kind > (dir "/" n ".kind"); print cmd > (dir "/" n ".cmd")
        print NR > (dir "/" n ".line"); want = 1; next
    }
    want == 1 && /^```/ { want = 2; printf "" > (dir "/" n ".txt"); next }
    want == 2 && /^```/ { want = 0; next }
    want == 2 { print > (dir "/" n ".txt") }
' README.md
blocks=$(ls "$tmp"/*.kind 2>/dev/null | wc -l)
echo "$blocks marked blocks in README.md"
expect_num "$blocks" -ge 8 "marked blocks in README.md"

portsim run experiments/kb319502/kb319502.ini --quiet >/dev/null
portsim run experiments/kb319502/remedy-maxuserport.ini --quiet >/dev/null
if grep -q -- '--sweep kb319502-remedies' "$tmp"/*.cmd; then
    PORTSIM_DB=$tmp/sweep.db portsim sweep experiments/kb319502/remedies.sweep --quiet >/dev/null
fi

bad=0
for ((i = 1; i <= blocks; i++)); do
    kind=$(cat "$tmp/$i.kind")
    cmd=$(cat "$tmp/$i.cmd")
    line=$(cat "$tmp/$i.line")
    db=$tmp/portsim.db
    case $cmd in *--sweep\ kb319502-remedies*) db=$tmp/sweep.db ;; esac
    (cd "$root" && PORTSIM_DB=$db bash -o pipefail -c "$cmd") >"$tmp/$i.out" 2>&1 || true
    if [ "$kind" = output ]; then
        sed '1{/^\$ /d}' "$tmp/$i.txt" >"$tmp/$i.want"
        if ! diff -u "$tmp/$i.want" "$tmp/$i.out" >"$tmp/$i.diff"; then
            echo "README.md:$line: the output of '$cmd' differs (- README, + program):"
            cat "$tmp/$i.diff"
            bad=$((bad + 1))
        fi
    else
        # each kept line must be found after the previous one
        if ! awk 'NR == FNR { if ($0 !~ /^ *(\.\.\.|--)$/ && $0 !~ /^\$ /) want[++n] = $0; next }
                  k < n && $0 == want[k + 1] { k++ }
                  END { if (k < n) { print "not found in order: " want[k + 1]; exit 1 } }' \
                "$tmp/$i.txt" "$tmp/$i.out" >"$tmp/$i.diff"; then
            echo "README.md:$line: an excerpt of '$cmd' is not in its output:"
            cat "$tmp/$i.diff"
            bad=$((bad + 1))
        fi
    fi
done
expect_num "$bad" -eq 0 "README blocks that differ from the program"
