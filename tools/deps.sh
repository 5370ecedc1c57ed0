#!/usr/bin/env bash
# deps.sh - make sure every Debian package portsim builds, tests or plots with
# is present; install the missing ones when run as root, else print the
# command and exit 2.  Fast (a few pkg-config and command -v calls) when
# nothing is missing, so every make target runs it.
set -u

# pkg-config module -> Debian package
declare -A LIBS=(
    [gsl]=libgsl-dev [sqlite3]=libsqlite3-dev [check]=check [inih]=libinih-dev
    [jansson]=libjansson-dev [libxxhash]=libxxhash-dev
)
# command -> Debian package (tests, plots, clusters)
declare -A TOOLS=(
    [pkg-config]=pkg-config [sqlite3]=sqlite3 [gnuplot]=gnuplot-nox [parallel]=parallel
    [jq]=jq [chromium]=chromium
)

# Optional: only 'portsim calibrate' needs 'ip' (iproute2, usually in
# /usr/sbin).  Installed with the rest when run as root; otherwise missing
# it is no error (calibrate says so when it runs).
declare -A OPTIONAL_TOOLS=([ip]=iproute2)

missing=()
for cmd in "${!TOOLS[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${TOOLS[$cmd]}")
done
if [ "$(id -u)" -eq 0 ]; then
    for cmd in "${!OPTIONAL_TOOLS[@]}"; do
        PATH=$PATH:/usr/sbin:/sbin command -v "$cmd" >/dev/null 2>&1 ||
            missing+=("${OPTIONAL_TOOLS[$cmd]}")
    done
fi
if command -v pkg-config >/dev/null 2>&1; then
    for mod in "${!LIBS[@]}"; do
        pkg-config --exists "$mod" || missing+=("${LIBS[$mod]}")
    done
else
    missing+=("${LIBS[@]}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ]; then
    echo "portsim: missing Debian packages; as root, run:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 2
fi
echo "portsim: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || exit 1
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || exit 1
