#!/usr/bin/env bash
# matrix.sh - the determinism matrix ('make matrix', run by .ci/run): the
# same scenarios (tools/matrix-run.sh: every profile, every allocator, a
# cache TTL, retries, a sweep with --jobs 1 and 2) built with gcc and clang
# at -O0, -O2 and -O3, and with gcc under ASan/UBSan, must give the lines
# of tests/golden/matrix-digests.txt, digest for digest.  Each build has
# its own directory (build/matrix/CC-OPT; the sanitizer build is 'make
# asan''s build/asan, reused); clang missing is a visible SKIP.
# A deliberate change of behaviour updates the table in the same commit
# (MATRIX_UPDATE=1 make matrix writes it from the gcc -O2 build).
# Cost: 7 builds and 7 x ~30 short runs; about 3 minutes on 2 cores.
set -u
golden=tests/golden/matrix-digests.txt
asan="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
variants=(gcc:-O0 gcc:-O2 gcc:-O3 clang:-O0 clang:-O2 clang:-O3 gcc:asan)
fail=0 ok=0 skip=0
mkdir -p build/matrix
for v in "${variants[@]}"; do
    cc=${v%%:*} opt=${v#*:}
    b=build/matrix/$cc$opt
    [ "$opt" != asan ] || b=build/asan     # 'make asan''s build, the same flags
    if ! command -v "$cc" >/dev/null; then
        echo "matrix SKIP  $cc $opt: $cc is not installed"
        skip=$((skip + 1))
        continue
    fi
    if [ "$opt" = asan ]; then
        flags=(CFLAGS="-O1 -g $asan" LDFLAGS="$asan")
    else
        flags=(CFLAGS="$opt -g")
    fi
    if ! make -s -j2 B="$b" CC="$cc" "${flags[@]}" "$b/portsim" >"$b.log" 2>&1; then
        echo "matrix FAIL  $cc $opt: build failed (see $b.log)"
        fail=$((fail + 1))
        continue
    fi
    if ! tools/matrix-run.sh "$b/portsim" >"$b.txt" 2>"$b.err"; then
        echo "matrix FAIL  $cc $opt: a scenario failed"; sed 's/^/    /' "$b.err" | tail -n 5
        fail=$((fail + 1))
        continue
    fi
    if [ "${MATRIX_UPDATE:-0}" = 1 ] && [ "$v" = gcc:-O2 ]; then
        cp "$b.txt" "$golden"
        echo "matrix wrote $golden from $cc $opt"
    fi
    if diff -u "$golden" "$b.txt" >"$b.diff"; then
        echo "matrix ok    $cc $opt: $(wc -l <"$b.txt") scenarios equal to $golden"
        ok=$((ok + 1))
    else
        echo "matrix FAIL  $cc $opt: differs from $golden"; sed 's/^/    /' "$b.diff" | head -n 20
        fail=$((fail + 1))
    fi
done
echo "matrix: $ok builds equal, $fail differ or failed, $skip skipped" \
     "($(wc -l <"$golden") scenarios, sweeps with --jobs 1 and 2)"
[ "$fail" -eq 0 ]
