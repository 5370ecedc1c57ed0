#!/usr/bin/env bash
# deps.sh [build|test] - make sure the Debian packages portsim needs are here.
#
#   build (default)  what compiling needs: a C compiler, make, pkg-config,
#                    the libraries, binutils (objdump, for the globals check).
#                    Missing ones are installed as root; otherwise the
#                    apt-get command is printed and the exit status is 2.
#   test             what tests and optional commands use: python3, gnuplot,
#                    jq, GNU parallel, the sqlite3 shell, a headless chromium,
#                    iproute2 (calibrate), man-db and zsh (the installed man page
#                    and completions), clang (make fuzz, make matrix), valgrind
#                    (make valgrind), Slurm and munge (a private one-node cluster for
#                    tests/e2e_slurm.sh).  As root each missing one is
#                    installed on its own, so one that fails leaves the others;
#                    never an error: a test whose tool is missing says SKIP.
#
# Fast when nothing is missing (a few pkg-config and command -v calls), so
# every compiling make target runs 'build' and 'make check' runs 'test'.
set -u
mode=${1:-build}

# pkg-config module -> Debian package
declare -A LIBS=(
    [gsl]=libgsl-dev [sqlite3]=libsqlite3-dev [check]=check [inih]=libinih-dev
    [jansson]=libjansson-dev [libxxhash]=libxxhash-dev
)
# command -> Debian package, for building
declare -A BUILD_TOOLS=(
    [cc]=gcc [make]=make [pkg-config]=pkg-config [objdump]=binutils
)
# command -> Debian package(s), for tests and optional commands; the first
# package that installs wins (chromium is called chromium-browser elsewhere)
declare -A TEST_TOOLS=(
    [python3]=python3 [gnuplot]=gnuplot-nox [jq]=jq [parallel]=parallel
    [sqlite3]=sqlite3 [chromium]="chromium chromium-browser" [ip]=iproute2
    [man]=man-db [zsh]=zsh
    [slurmctld]=slurmctld [slurmd]=slurmd [sbatch]=slurm-client [munged]=munge [clang]=clang [valgrind]=valgrind
)

have() { command -v "$1" >/dev/null 2>&1; }

updated=
apt_install() {    # apt_install PKG: one package, quietly; status of apt-get
    if [ -z "$updated" ]; then
        apt-get update -qq >&2 || return 1
        updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >&2
}

build_missing() {
    local cmd mod
    for cmd in "${!BUILD_TOOLS[@]}"; do
        have "$cmd" || echo "${BUILD_TOOLS[$cmd]}"
    done
    if have pkg-config; then
        for mod in "${!LIBS[@]}"; do
            pkg-config --exists "$mod" || echo "${LIBS[$mod]}"
        done
    else
        printf '%s\n' "${LIBS[@]}"
    fi
}

deps_build() {
    local missing pkg
    mapfile -t missing < <(build_missing | sort -u)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "portsim: building needs Debian packages; as root, run:" >&2
        echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
        return 2
    fi
    echo "portsim: installing ${missing[*]}" >&2
    for pkg in "${missing[@]}"; do
        apt_install "$pkg" || { echo "portsim: could not install $pkg" >&2; return 1; }
    done
}

deps_test() {
    local cmd pkg ok
    for cmd in $(printf '%s\n' "${!TEST_TOOLS[@]}" | sort); do
        have "$cmd" && continue
        [ "$cmd" = chromium ] && have chromium-browser && continue
        if [ "$(id -u)" -ne 0 ]; then
            echo "portsim: optional '$cmd' is missing (tests that need it will SKIP)" >&2
            continue
        fi
        ok=
        for pkg in ${TEST_TOOLS[$cmd]}; do
            echo "portsim: installing $pkg (for '$cmd')" >&2
            if apt_install "$pkg"; then ok=1; break; fi
        done
        [ -n "$ok" ] || echo "portsim: could not install '$cmd' (tests that need it will SKIP)" >&2
    done
    return 0
}

case $mode in
build) deps_build ;;
test) deps_test ;;
*) echo "usage: tools/deps.sh [build|test]" >&2; exit 2 ;;
esac
