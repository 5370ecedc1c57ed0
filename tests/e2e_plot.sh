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
expect_grep 'port pool: 3,976 ports' ts.svg
expect_grep -E '^\$RUN1 << EOD' ts.gp

"$PORTSIM" plot --db p.db --sweep mini --out rem.png --size 1200x700 2>err.txt
expect_empty err.txt
expect_eq "$(png_size rem.png)" "1200 700" "size of rem.png"
"$PORTSIM" plot --db p.db --sweep mini --out rem.svg --title "it's a test" 2>err.txt
expect_empty err.txt
expect_grep 'Erlang B of the baseline' rem.svg
expect_grep 'timedwaitdelay' rem.svg
expect_grep "it's a test" rem.svg

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
