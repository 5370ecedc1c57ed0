#!/usr/bin/env bash
# version.sh - the version text compiled into portsim (cli/version.h).
#
# From a git checkout, 'git describe --always --dirty': a tag's name
# without its leading 'v' ("0.2.0", "0.2.0-3-gabc1234"); with no tag, git
# gives a bare commit hash, which is put after the VERSION file's number
# ("0.1.0-gabc1234", "-dirty" with uncommitted changes).  Without git or
# outside a checkout: the VERSION file, else 0.1.0.  Prints one line.
set -u
cd "$(dirname "$0")/.." || exit 1
base=$(head -n 1 VERSION 2>/dev/null | tr -d ' \t\r')
base=${base:-0.1.0}
if d=$(git describe --always --dirty 2>/dev/null) && [ -n "$d" ]; then
    case $d in
    v[0-9]*) echo "${d#v}" ;;
    [0-9]*.*) echo "$d" ;;
    *) echo "$base-g$d" ;;
    esac
else
    echo "$base"
fi
