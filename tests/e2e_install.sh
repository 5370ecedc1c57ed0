#!/usr/bin/env bash
# e2e_install.sh - libportsim.so exports only the public API; 'make install
# PREFIX=tmp' gives a working program, library, header, pkg-config file,
# experiments and Python package, used from another directory; 'make
# uninstall' leaves no file of ours behind; DESTDIR stages the same files.
#
# The install builds in its own copy of the build directory (the objects are
# copied, so only the files that name PREFIX are recompiled): the build/ the
# other tests use keeps its own compiled-in data folder.  An ASan build is
# not installed (its flags are not known here): SKIP.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
repo=$PWD
b0=$(dirname "$PORTSIM")
lib=$b0/libportsim.so
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

# ---- the shared library exports the API of portsim.h and nothing else ----
[ -f "$lib" ] || { echo "no $lib: build it with 'make'"; exit 1; }
nm -D --defined-only "$lib" | awk '{ print $NF }' | sort >"$d/exports"
printf '%s\n' portsim_free portsim_run_json portsim_seed_derive portsim_version >"$d/want"
if ! diff -u "$d/want" "$d/exports"; then
    echo "libportsim.so exports more (or less) than portsim.h declares"
    exit 1
fi
if nm -D "$lib" | grep -q ' U __asan_init'; then
    echo "SKIP an ASan build is not installed (exports checked)"
    exit 77
fi
command -v pkg-config >/dev/null || { echo "SKIP pkg-config is missing"; exit 77; }

# ---- install into a temporary prefix, building in a copy of the objects ----
prefix=$d/prefix
mkdir -p "$d/b"
for x in sim models analysis cli pic version.txt; do
    if [ -e "$b0/$x" ]; then cp -a "$b0/$x" "$d/b/"; fi
done
make -s -C "$repo" B="$d/b" PREFIX="$prefix" install >"$d/make.log" 2>&1 ||
    { cat "$d/make.log"; exit 1; }
(cd "$prefix" && find . -type f | sort) >"$d/installed.txt"
for f in bin/portsim lib/libportsim.a lib/libportsim.so include/portsim/portsim.h \
         lib/pkgconfig/portsim.pc share/portsim/experiments/kb319502/kb319502.ini \
         share/portsim/experiments/cluster/sweep.sbatch \
         share/portsim/python/portsim/__init__.py share/doc/portsim/README.md \
         share/man/man1/portsim.1 share/bash-completion/completions/portsim; do
    [ -f "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done

# ---- from another directory: the program and its experiments ----
mkdir "$d/elsewhere"
cd "$d/elsewhere"
want=$("$PORTSIM" --version)
got=$("$prefix/bin/portsim" --version)
[ "$got" = "$want" ] || { echo "installed version '$got', built '$want'"; exit 1; }
"$prefix/bin/portsim" run kb319502/kb319502.ini --no-db --json \
    --set run.duration=2min >a.json
"$prefix/bin/portsim" run kb319502 --no-db --json --set run.duration=2min >b.json
"$PORTSIM" run "$repo/experiments/kb319502/kb319502.ini" --no-db --json \
    --set run.duration=2min >c.json
dig() { sed -e 's/.*"digest":"\([0-9a-f]*\)".*/\1/' "$1"; }
[ -n "$(dig a.json)" ] || { echo "no digest in the installed run"; exit 1; }
[ "$(dig a.json)" = "$(dig c.json)" ] || { echo "installed experiment: other digest"; exit 1; }
[ "$(dig b.json)" = "$(dig c.json)" ] || { echo "bare name: other digest"; exit 1; }
"$prefix/bin/portsim" sweep kb319502/remedies --dry-run >dry.txt
grep -q 'runs' dry.txt || { echo "installed sweep not found"; cat dry.txt; exit 1; }
# a missing scenario is still reported under the name typed
set +e
"$prefix/bin/portsim" run nosuch.ini --no-db 2>err.txt
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "missing scenario: exit $rc"; exit 1; }
grep -q "nosuch.ini" err.txt || { echo "message lacks the name:"; cat err.txt; exit 1; }

# ---- a C program built with pkg-config: the README's example ----
awk '/^```c$/ { on = 1; next } /^```$/ { on = 0 } on' "$repo/README.md" >prog.c
grep -q portsim_run_json prog.c || { echo "README has no C example"; exit 1; }
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046
cc -o prog prog.c $(pkg-config --cflags --libs portsim)
LD_LIBRARY_PATH=$prefix/lib ./prog >prog.json
"$PORTSIM" run --no-db --json --seed 1 --set stack.profile=win2000 \
    --set workload.rate=40 >cli.json
[ "$(dig prog.json)" = "$(dig cli.json)" ] || { echo "C API: other digest"; exit 1; }
grep -q '"samples":\[\[0' prog.json || { echo "C API: no samples"; exit 1; }

# ---- the Python package from the prefix (it finds PREFIX/lib itself) ----
if command -v python3 >/dev/null 2>&1; then
    py=$(env -u PORTSIM_LIB PYTHONPATH="$prefix/share/portsim/python" python3 - "$prefix" <<'PY'
import os, sys, portsim
lib = os.path.realpath(portsim.library_path())
assert lib == os.path.realpath(sys.argv[1] + "/lib/libportsim.so"), lib
print(portsim.run({"stack.profile": "win2000", "workload.rate": 40})["metrics"]["digest"])
PY
)
    [ "$py" = "$(dig cli.json)" ] || { echo "Python from the prefix: other digest"; exit 1; }
else
    echo "python3 missing: the installed package is not tried"
fi

# ---- the man page and the completions, written from the command table ----
man1=$prefix/share/man/man1/portsim.1
bashcomp=$prefix/share/bash-completion/completions/portsim
expect_file "$man1"
expect_file "$bashcomp"
expect_file "$prefix/share/zsh/site-functions/_portsim"
if command -v man >/dev/null 2>&1; then
    expect_exit 0 env MANWIDTH=100 man --warnings -l "$man1"
    expect_empty_text() { if [ -n "$1" ]; then expect_fail "man warns: $1"; fi; }
    expect_empty_text "$EXPECT_STDERR"
    # every command has its section, with its options
    for c in $("$prefix/bin/portsim" --help | awk '/^commands:/ { on = 1; next }
                                                   on && !NF { exit } on { print $1 }'); do
        expect_stdout "portsim $c"
    done
    expect_stdout "--replications N"
else
    echo "SKIP man is missing (man-db): the man page is not rendered"
fi
expect_exit 0 bash -c "source '$bashcomp'; complete -p portsim"
expect_stdout "complete -F _portsim portsim"
comp() {    # comp CWORD WORD...: what the completion offers for COMP_WORDS=WORD...
    local cw=$1
    shift
    bash -c 'source "$1"; shift; COMP_CWORD=$1; shift; COMP_WORDS=("$@"); _portsim;
             printf "%s\n" "${COMPREPLY[@]}"' _ "$bashcomp" "$cw" "$@"
}
expect_eq "$(comp 1 portsim ru)" "run" "completion of 'portsim ru'"
expect_exit 0 comp 3 portsim run --set stack.po
expect_stdout "stack.port_min="
expect_stdout "stack.port_max="
expect_exit 0 comp 5 portsim run --set stack.profile = win
expect_stdout "win2000"
expect_exit 0 comp 2 portsim sweep --dr
expect_stdout "--dry-run"
if command -v zsh >/dev/null 2>&1; then
    zcomp=$prefix/share/zsh/site-functions/_portsim
    expect_exit 0 zsh -n "$zcomp"
    # read whole, the file defines the completer it names in #compdef
    expect_exit 0 zsh -fc "source $zcomp; whence -w _portsim"
    expect_stdout "_portsim: function"
else
    echo "SKIP zsh is missing (zsh): the zsh completion is not parsed"
fi

# ---- uninstall: no file of ours left ----
make -s -C "$repo" B="$d/b" PREFIX="$prefix" uninstall >"$d/make.log" 2>&1 ||
    { cat "$d/make.log"; exit 1; }
left=$(find "$prefix" -type f)
if [ -n "$left" ]; then
    echo "left after uninstall:"; echo "$left"; exit 1
fi
left=$(find "$prefix" -path '*portsim*')
if [ -n "$left" ]; then
    echo "folders left after uninstall:"; echo "$left"; exit 1
fi

# ---- DESTDIR stages the same files under another root, and uninstalls them ----
stage=$d/stage
make -s -C "$repo" B="$d/b" PREFIX=/opt/portsim DESTDIR="$stage" install >"$d/make.log" 2>&1 ||
    { cat "$d/make.log"; exit 1; }
(cd "$stage/opt/portsim" && find . -type f | sort) >"$d/staged.txt"
diff -u "$d/installed.txt" "$d/staged.txt" || { echo "DESTDIR installs other files"; exit 1; }
grep -q '^prefix=/opt/portsim$' "$stage/opt/portsim/lib/pkgconfig/portsim.pc" ||
    { echo "portsim.pc does not name the final prefix"; exit 1; }
# uninstall removes what install put even when the tree has changed since
# (here: as if every experiment had gone): the installed list is kept
make -s -C "$repo" B="$d/b" PREFIX=/opt/portsim DESTDIR="$stage" EXPERIMENT_FILES= \
    uninstall >"$d/make.log" 2>&1 ||
    { cat "$d/make.log"; exit 1; }
left=$(find "$stage" -type f)
[ -z "$left" ] || { echo "left after DESTDIR uninstall:"; echo "$left"; exit 1; }
echo "install, use from elsewhere and uninstall (PREFIX and DESTDIR): ok"
