#!/usr/bin/env bash
# e2e_plot.sh - 'portsim plot': PNG and SVG pictures of runs and of a sweep,
# of the size asked for, with no word from gnuplot; bad usage exits 2; a
# missing gnuplot is a clear message and exit 1; a gnuplot error comes back
# in gnuplot's words.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
root=$PWD
ex=$root/experiments/kb319502
cd "$d"
command -v gnuplot >/dev/null || { echo "gnuplot is not installed (tools/deps.sh)"; exit 1; }

png_size() {   # FILE -> "W H" from the IHDR chunk
    python3 -c "
import struct, sys
b = open(sys.argv[1], 'rb').read(24)
assert b[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
print(*struct.unpack('>II', b[16:24]))" "$1"
}

cat >mini.sweep <<INI
[sweep]
name = mini
scenario = $ex/kb319502.ini
replications = 2
[remedy baseline]
run.duration = 300
[remedy timedwaitdelay]
run.duration = 300
stack.time_wait = 30
[vary]
workload.rate = 10, 20, 40
INI
"$PORTSIM" sweep mini.sweep --db p.db --quiet
id=$(sqlite3 p.db "select id from runs where remedy = 'baseline' and
                   json_extract(point, '$.\"workload.rate\"') = 40 order by id limit 1")

"$PORTSIM" plot --db p.db --run "$id" --out ts.png 2>err.txt
expect_empty err.txt
expect_nonempty ts.png
expect_eq "$(png_size ts.png)" "960 600" "size of ts.png"
"$PORTSIM" plot --db p.db --run "$id" --run $((id + 1)) --out ts.svg --size 800x500 \
    --script ts.gp 2>err.txt
expect_empty err.txt
expect_nonempty ts.svg
expect_grep '<svg' ts.svg
expect_grep 'width="800"' ts.svg
expect_grep 'height="500"' ts.svg
expect_grep 'ports in TIME_WAIT' ts.svg
expect_grep 'pool: 3,976 ports' ts.svg
# titles in words: scenario, profile, rate; the seed in the small print
expect_grep "run $id: baseline, win2000, 40 requests/s" ts.svg
expect_grep "run $id seed" ts.svg
# side by side: two columns
expect_grep 'set origin 0.5000, 0.43' ts.gp
expect_grep -E '^\$RUN1 << EOD' ts.gp

"$PORTSIM" plot --db p.db --sweep mini --out rem.png --size 1200x700 2>err.txt
expect_empty err.txt
expect_eq "$(png_size rem.png)" "1200 700" "size of rem.png"
"$PORTSIM" plot --db p.db --sweep mini --out rem.svg --title "it's a test" 2>err.txt
expect_empty err.txt
expect_grep 'closed form (Erlang B) of each point' rem.svg
expect_grep 'headroom' rem.svg
expect_grep 'timedwaitdelay' rem.svg
expect_grep "it's a test" rem.svg

# ---- a sweep that varies TIME_WAIT too: --x, --series, --facet; each
# point's closed form from its own parameters ----
cat >tw.sweep <<INI
[sweep]
name = tw
scenario = $ex/kb319502.ini
replications = 1
[remedy baseline]
run.duration = 120
[vary]
workload.rate = 20, 40
stack.time_wait = 30, 240
INI
"$PORTSIM" sweep tw.sweep --db p.db --quiet
"$PORTSIM" plot --db p.db --sweep tw --out tw.svg --script tw.gp 2>err.txt
expect_empty err.txt
# legend in words, not JSON
expect_grep "title 'baseline, TIME_WAIT 30 s'" tw.gp
expect_grep "title 'baseline, TIME_WAIT 240 s'" tw.gp
expect_no_grep '{"' tw.gp
# the closed form of each point (column 5, %) is theory's Erlang B of that
# point (4 decimals): 30 s and 240 s differ
for tw in 30 240; do
    want=$("$PORTSIM" theory "$ex/kb319502.ini" --set stack.time_wait=$tw \
           --set workload.rate=40 | sed -n 's/^blocking *Erlang B = \([0-9.]*\).*/\1/p')
    block=$(grep -n "title 'baseline, TIME_WAIT $tw s'" tw.gp | head -1 | grep -o '\$F0S[0-9]*')
    got=$(sed -n "/^\\$block << EOD/,/^EOD/p" tw.gp | awk '$1 == 40 { printf "%.4f", $5 / 100 }')
    echo "TIME_WAIT $tw s at 40/s: closed form $got, theory $want"
    expect_num "${#want}" -gt 0 "length of theory's Erlang B"
    near=$(awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; print (d < 0 ? -d : d) < 6e-5 }')
    expect_eq "$near" 1 \
        "closed form of TIME_WAIT $tw s at 40/s ($got) against theory ($want)"
done
"$PORTSIM" plot --db p.db --sweep tw --x stack.time_wait --facet workload.rate \
    --out tw2.svg --script tw2.gp 2>err.txt
expect_empty err.txt
expect_grep "set xlabel 'TIME_WAIT (s)'" tw2.gp
expect_grep "set title 'request rate 20 requests/s'" tw2.gp
expect_grep "set title 'request rate 40 requests/s'" tw2.gp
expect_exit 2 "$PORTSIM" plot --db p.db --sweep tw --x stack.port_max --out x.svg
expect_stderr 'does not vary it (it varies: workload.rate, stack.time_wait)'
expect_exit 2 "$PORTSIM" plot --db p.db --run 1 --x workload.rate --out x.svg

# ---- bad usage: 2 ----
bad() {
    expect_exit 2 "$PORTSIM" plot --db p.db "$@"
}
bad --sweep mini --out x.jpg
bad --sweep mini
bad --run 1 --sweep mini --out x.png
bad --sweep nope --out x.png
bad --run 99999 --out x.png
bad --sweep mini --out x.png --size 10x10
expect_file_absent x.png

# ---- no gnuplot on PATH: a clear message, exit 1 ----
mkdir empty
expect_exit 1 env PATH="$d/empty" "$PORTSIM" plot --db p.db --sweep mini --out nog.png
expect_stderr 'gnuplot not found on PATH'

# ---- gnuplot's own error comes back: a directory that does not exist ----
expect_exit 1 "$PORTSIM" plot --db p.db --sweep mini --out no/such/dir.png
expect_stderr 'gnuplot'
echo "$EXPECT_STDERR"
