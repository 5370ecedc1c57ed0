#!/usr/bin/env bash
# e2e_html.sh - 'portsim html': the page's structure (8 port rows, a mark per
# failure, steps, the failures lane, hover text, the server's TIME_WAIT
# bands, the heat map's hues, the script's hash in the CSP), then the page in
# a real browser (headless Chromium): it renders
# to a screenshot that is not blank, makes no request and logs nothing to the
# console (the page's Content-Security-Policy turns any request or script
# into a logged violation).  Without chromium the browser part is skipped
# with exit 77, which tools/run-e2e.sh reports as SKIP.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
s=experiments/teach/eight-ports.ini

"$PORTSIM" html "$s" --out "$tmp/page.html"
grep -q "default-src 'none'" "$tmp/page.html"
expect_no_grep -E '(src|href)="(https?:)?//' "$tmp/page.html"
# one row per port
expect_num "$(grep -o 'class="row"' "$tmp/page.html" | wc -l)" -eq 8 "rows of page.html"
# every failure marked: the marks' counts add up to the run's failures
# (the trace's fail records, which test_trace.c holds equal to connect_failures)
"$PORTSIM" trace "$s" --format csv >"$tmp/trace.csv"
fails=$(grep -c '^[^,]*,fail,' "$tmp/trace.csv")
marks=$(grep -o 'class="fail" data-n="[0-9]*"' "$tmp/page.html" | grep -o '[0-9]*' |
        awk '{ n += $1 } END { print n + 0 }')
echo "failures $fails, marks $marks"
expect_num "$fails" -gt 0 "failures in the trace"
expect_num "$marks" -eq "$fails" "failure marks on the page"
# steps, not interpolated lines; a failures-over-time lane with one bar per
# sample interval that had failures; hover text on stretches and marks
expect_grep '<path class="inuse" fill="none" stroke="#1f3556" stroke-width="2" d="M80.0 ' \
    "$tmp/page.html"
expect_no_grep '<polyline' "$tmp/page.html"
expect_grep 'class="faillane"' "$tmp/page.html"
expect_grep '<title>port 1025: in use, 0-0.05 s</title>' "$tmp/page.html"
expect_grep '<title>port 1025: TIME_WAIT (client), 0.05-10.05 s</title>' "$tmp/page.html"
expect_grep '<title>t = 4 s: connect() failed, no port left</title>' "$tmp/page.html"
# units, shortest numbers: no long runs of digits after a point
expect_no_grep -E '[0-9]\.[0-9]{6,}' "$tmp/page.html"
# the one script is allowed by its SHA-256 in the CSP, and only it
if command -v python3 >/dev/null 2>&1; then
    python3 - "$tmp/page.html" <<'PY'
import base64, hashlib, re, sys
page = open(sys.argv[1]).read()
scripts = re.findall(r'<script>(.*?)</script>', page, re.S)
csp = re.search(r"script-src 'sha256-([^']*)'", page).group(1)
assert len(scripts) == 1, 'one inline script'
got = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
assert got == csp, 'CSP hash %s, script hash %s' % (csp, got)
print('script hash matches the CSP')
PY
fi
# the server keeps TIME_WAIT: one band per server close (60 in 30 s)
"$PORTSIM" html experiments/teach/server-closes.ini --out "$tmp/server.html"
closes=$("$PORTSIM" trace experiments/teach/server-closes.ini |
         grep -c 'closed by the server first')
expect_num "$(grep -o 'class="srvtw"' "$tmp/server.html" | wc -l)" -eq "$closes" \
    "server TIME_WAIT bands"
expect_grep 'TIME_WAIT kept by the server, 0.05-4 s' "$tmp/server.html"
# a large pool gets the heat map instead
"$PORTSIM" html "$s" --set stack.port_max=2100 --out "$tmp/big.html"
expect_grep 'class="heat"' "$tmp/big.html"
expect_no_grep 'class="strip"' "$tmp/big.html"
# in use and TIME_WAIT in distinct hues: the pool fills with TIME_WAIT, so
# the map holds orange-tinted cells (red channel above blue), not greys only
expect_grep -E 'fill="#(f[0-9a-f]|e[0-9a-f])[0-9a-f]{2}[0-9a-c][0-9a-f]"' "$tmp/big.html"
# a recorded run, once 'portsim run' records runs
if "$PORTSIM" run --help >/dev/null 2>&1; then
    "$PORTSIM" run "$s" --db "$tmp/runs.db" --quiet
    "$PORTSIM" html --run 1 --db "$tmp/runs.db" --out "$tmp/run.html"
    expect_num "$(grep -o 'class="row"' "$tmp/run.html" | wc -l)" -eq 8 "rows of run.html"
fi
# bad usage
expect_exit 2 "$PORTSIM" html "$s"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "SKIP: chromium is not installed (tools/deps.sh installs it as root)"
    exit 77
fi
shot() {    # shot PAGE PNG LOG
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --virtual-time-budget=3000 \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile-$(basename "$2")" --enable-logging=stderr --v=0 \
        --screenshot="$2" --window-size=1200,1600 "file://$1" >"$3" 2>&1
}
printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n' \
    >"$tmp/blank.html"
shot "$tmp/blank.html" "$tmp/blank.png" "$tmp/blank.log"
shot "$tmp/page.html" "$tmp/page.png" "$tmp/page.log"
expect_nonempty "$tmp/page.png"
blank=$(stat -c %s "$tmp/blank.png")
page=$(stat -c %s "$tmp/page.png")
echo "screenshot $page bytes, blank page $blank bytes"
expect_num "$page" -gt $((blank * 5)) "screenshot bytes (5 x blank)"
if command -v python3 >/dev/null 2>&1; then
    # distinct colours in the screenshot (a chart has many; blank has one)
    colours=$(python3 - "$tmp/page.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat, w, h, ct = 8, b'', 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ct = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4}.get(ct, 0)
if not bpp:
    print(99); sys.exit()
raw, stride, prev, seen, i = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set(), 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, stride, bpp * 2):
            seen.add(bytes(line[x:x + 3]))
    prev = line
print(len(seen))
PY
)
    echo "distinct colours: $colours"
    expect_num "$colours" -gt 20 "distinct colours in the screenshot"
fi
# no request, no console message (CSP violations and errors are logged here)
expect_no_grep -E ':CONSOLE|Content Security Policy|ERR_' "$tmp/page.log"
# a scripted step: the time control at #t=12.5 draws another picture than
# at #t=2 (the cursor and the state read out move), with no console message
shot "$tmp/server.html#t=12.5" "$tmp/t125.png" "$tmp/t125.log"
shot "$tmp/server.html#t=2" "$tmp/t2.png" "$tmp/t2.log"
expect_nonempty "$tmp/t125.png"
expect_nonempty "$tmp/t2.png"
if cmp -s "$tmp/t125.png" "$tmp/t2.png"; then
    expect_fail "the page at #t=12.5 and at #t=2 look the same: the time control did not run"
fi
expect_no_grep -E ':CONSOLE|Content Security Policy|ERR_' "$tmp/t125.log"
expect_no_grep -E ':CONSOLE|Content Security Policy|ERR_' "$tmp/t2.log"
