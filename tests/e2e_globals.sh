#!/usr/bin/env bash
# e2e_globals.sh - the globals check catches a writable global and a static
# local, and passes constant data: a check that can fail.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf 'int counter;\nint f(void) { return counter; }\n' >"$d/bad1.c"
printf 'int g(void) { static int n; return ++n; }\n' >"$d/bad2.c"
printf 'static const int table[] = {1, 2};\nint h(int i) { return table[i]; }\n' >"$d/good.c"
for f in bad1 bad2 good; do cc -O2 -c -o "$d/$f.o" "$d/$f.c"; done
expect_exit nonzero tools/check-globals.sh "$d/bad1.o"
expect_exit nonzero tools/check-globals.sh "$d/bad2.o"
expect_exit 0 tools/check-globals.sh "$d/good.o"
# without objdump the check cannot read a symbol table: it fails, it does not pass
mkdir "$d/bin"
for t in awk bash; do ln -s "$(command -v $t)" "$d/bin/$t"; done
expect_exit 1 env PATH="$d/bin" bash tools/check-globals.sh "$d/good.o"
expect_stderr "objdump is missing"
