#!/usr/bin/env bash
# e2e_cli.sh - the program's front door: --help, --version, exit statuses.
set -eu
"$PORTSIM" --help | grep -q 'usage: portsim'
"$PORTSIM" --version | grep -Eq '^portsim [0-9]+\.[0-9]+\.[0-9]+(-[0-9]+)?(-g[0-9a-f]+)?(-dirty)?$'
set +e
"$PORTSIM" frobnicate 2>/dev/null; rc=$?
"$PORTSIM" 2>/dev/null; rc2=$?
set -e
[ "$rc" -eq 2 ] && [ "$rc2" -eq 2 ]
