#!/usr/bin/env bash
# check-globals.sh OBJ... - fail if any object defines writable data: no
# global or static mutable state in the library (STYLE.md §4, like SQLite's
# checksymbols).  It reads the symbol table (objdump -t, the section-aware
# form of nm) and flags data objects in .data, .bss or common; constant
# tables, including those of pointers that the linker places in
# .data.rel.ro (read-only after relocation), are fine.
set -u
if ! command -v objdump >/dev/null 2>&1; then
    echo "globals: objdump is missing (Debian package binutils; tools/deps.sh installs it)" >&2
    exit 1
fi
bad=$(objdump -t "$@" 2>/dev/null | awk '
    /^.*:[ \t]+file format/ { file = $1 }
    $0 ~ / O / {
        for (i = 1; i <= NF; i++) if ($i == "O") sec = $(i + 1)
        if (sec ~ /^\.(data|bss|sdata|sbss|tbss|tdata)(\.|$)/ && sec !~ /^\.data\.rel\.ro/ ||
            sec == "*COM*")
            print file " " sec " " $NF
    }')
if [ -n "$bad" ]; then
    echo "writable global or static data found (not allowed in the library):" >&2
    echo "$bad" >&2
    exit 1
fi
echo "globals: no writable data in $# objects"
