#!/usr/bin/env bash
# check-layers.sh [ROOT] - fail if an #include "..." crosses a layer the wrong
# way (DESIGN.md §1: sim/ <- models/ <- analysis/ <- cli/), if any file but
# analysis/store*.c and their private header analysis/store_int.h includes
# <sqlite3.h>, or if any file but analysis/store*.c includes store_int.h.
# ROOT is the tree to check (default: the current directory).
#
#   sim/       includes sim/ only
#   models/    sim/ and models/
#   analysis/  sim/, analysis/ and the plain data contracts of models/:
#              models/params.h, models/metrics.h and the headers they
#              include (found here, so a contract that grows stays allowed)
#   cli/       anything (the front end); tests/ and tools/ are not checked
#
# Reads the sources with grep only: no build needed.  Prints one line per
# violation, "FILE:LINE: why", and exits 1 when there is any.
set -u
root=${1:-.}
cd "$root" || exit 2
bad=0

# The headers analysis/ may include from models/: the contracts and, in
# turn, what they include from models/.
allowed="models/params.h models/metrics.h"
todo=$allowed
while [ -n "$todo" ]; do
    next=""
    for h in $todo; do
        [ -f "$h" ] || continue
        for inc in $(awk -F'"' '/^[ \t]*#[ \t]*include[ \t]*"models\// { print $2 }' "$h"); do
            case " $allowed " in
            *" $inc "*) ;;
            *) allowed="$allowed $inc"; next="$next $inc" ;;
            esac
        done
    done
    todo=$next
done

# may_include LAYER HEADER: 0 if a file of LAYER may include HEADER.
may_include() {
    case "$1:$2" in
    sim:sim/*) return 0 ;;
    models:sim/* | models:models/*) return 0 ;;
    analysis:sim/* | analysis:analysis/*) return 0 ;;
    analysis:models/*) case " $allowed " in *" $2 "*) return 0 ;; esac; return 1 ;;
    cli:*) return 0 ;;
    esac
    return 1
}

nfiles=0
for layer in sim models analysis cli; do
    for f in "$layer"/*.c "$layer"/*.h; do
        [ -f "$f" ] || continue
        nfiles=$((nfiles + 1))
        while IFS=: read -r line inc; do
            if ! may_include "$layer" "$inc"; then
                echo "$f:$line: $layer/ may not include \"$inc\"" >&2
                bad=1
            fi
            # the store's private header, however its path is spelt
            case "$inc:$f" in
            *:analysis/store*.c) ;;
            store_int.h:* | analysis/store_int.h:* | */analysis/store_int.h:*)
                echo "$f:$line: only analysis/store*.c may include \"$inc\"" >&2
                bad=1
                ;;
            esac
        done < <(awk -F'"' '/^[ \t]*#[ \t]*include[ \t]*"/ { print FNR ":" $2 }' "$f")
        case "$f" in
        analysis/store*.c | analysis/store_int.h) continue ;;
        esac
        for line in $(awk '/^[ \t]*#[ \t]*include[ \t]*<sqlite3\.h>/ { print FNR }' "$f"); do
            echo "$f:$line: only analysis/store*.c may include <sqlite3.h>" >&2
            bad=1
        done
    done
done
if [ "$bad" -ne 0 ]; then
    echo "layers: includes cross a layer the wrong way (DESIGN.md §1)" >&2
    exit 1
fi
echo "layers: $nfiles files include within their layers"
