#!/usr/bin/env bash
# e2e_cli.sh - the program's front door: --help, --version, exit statuses.
set -eu
"$PORTSIM" --help | grep -q 'usage: portsim'
"$PORTSIM" --version | grep -Eq '^portsim [0-9]+\.[0-9]+\.[0-9]+$'
set +e
"$PORTSIM" frobnicate 2>/dev/null; rc=$?
"$PORTSIM" 2>/dev/null; rc2=$?
set -e
[ "$rc" -eq 2 ] && [ "$rc2" -eq 2 ]
# Every command listed has a --help, generated from the table, and
# 'portsim help CMD' prints the same; an unknown option or command exits 2.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cmds=$("$PORTSIM" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ "$(echo "$cmds" | wc -l)" -ge 11 ]
for c in $cmds; do
    "$PORTSIM" "$c" --help >h1.txt
    "$PORTSIM" help "$c" >h2.txt
    cmp -s h1.txt h2.txt
    head -n 1 h1.txt | grep -q "^usage: portsim $c"
    grep -q -- '-h, --help' h1.txt
    set +e
    "$PORTSIM" "$c" --no-such-option >/dev/null 2>err.txt; rc=$?
    set -e
    [ "$rc" -eq 2 ]
    grep -q "^portsim $c: unknown or incomplete option '--no-such-option'" err.txt
done
set +e
"$PORTSIM" help frobnicate 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 2 ]
"$PORTSIM" help | grep -q 'usage: portsim'
