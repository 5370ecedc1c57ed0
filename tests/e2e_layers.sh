#!/usr/bin/env bash
# e2e_layers.sh - the layer check (tools/check-layers.sh) passes on the tree,
# and fails on each kind of violation planted in a temporary copy of it
# (never in the tree): analysis/ including model logic, sim/ including
# models/, models/ including analysis/, <sqlite3.h> outside the store, and
# the store's private header (analysis/store_int.h) outside analysis/store*.c.
set -eu
root=$(pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
tools/check-layers.sh "$root" >/dev/null

# fresh copy of the layers, one planted line appended to FILE
plant() {
    rm -rf "$d/t"
    mkdir "$d/t"
    cp -r "$root/sim" "$root/models" "$root/analysis" "$root/cli" "$d/t/"
    printf '%s\n' "$2" >>"$d/t/$1"
}

plant analysis/report.c '#include "cli/cli.h"'
tools/check-layers.sh "$d/t" >/dev/null 2>&1 && exit 1
plant analysis/report.c '#include "models/theory.h"'
tools/check-layers.sh "$d/t" 2>"$d/err" >/dev/null && exit 1
grep -q 'analysis/report.c:.*models/theory.h' "$d/err"
plant sim/heap.c '#include "models/params.h"'
tools/check-layers.sh "$d/t" >/dev/null 2>&1 && exit 1
plant models/run.c '#include "analysis/stats.h"'
tools/check-layers.sh "$d/t" >/dev/null 2>&1 && exit 1
plant cli/dbsel.c '#include <sqlite3.h>'
tools/check-layers.sh "$d/t" 2>"$d/err" >/dev/null && exit 1
grep -q 'cli/dbsel.c:.*sqlite3.h' "$d/err"
plant analysis/series.c '  #  include <sqlite3.h>'
tools/check-layers.sh "$d/t" >/dev/null 2>&1 && exit 1
plant analysis/report.c '#include "analysis/store_int.h"'
tools/check-layers.sh "$d/t" 2>"$d/err" >/dev/null && exit 1
grep -q 'analysis/report.c:.*only analysis/store\*.c may include "analysis/store_int.h"' "$d/err"
plant cli/dbsel.c '#include "analysis/store_int.h"'
tools/check-layers.sh "$d/t" 2>"$d/err" >/dev/null && exit 1
grep -q 'cli/dbsel.c:.*store_int.h' "$d/err"
plant analysis/store.h '#include "analysis/store_int.h"'
tools/check-layers.sh "$d/t" >/dev/null 2>&1 && exit 1
# what is allowed stays allowed: the contracts, and anything in cli/
plant analysis/report.c '#include "models/params.h"'
tools/check-layers.sh "$d/t" >/dev/null
plant cli/dbsel.c '#include "models/workload.h"'
tools/check-layers.sh "$d/t" >/dev/null
plant analysis/store_merge.c '#include "analysis/store_int.h"'
tools/check-layers.sh "$d/t" >/dev/null
echo "layers: every planted violation caught"
