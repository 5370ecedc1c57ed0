#!/usr/bin/env bash
# e2e_cli.sh - the program's front door: --help, --version, exit statuses.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
expect_exit 0 "$PORTSIM" --help
expect_stdout 'usage: portsim'
expect_exit 0 "$PORTSIM" --version
expect_stdout -E '^portsim [0-9]+\.[0-9]+\.[0-9]+'
expect_exit 2 "$PORTSIM" frobnicate
expect_exit 2 "$PORTSIM"

# Every command listed has a --help, generated from the table, and
# 'portsim help CMD' prints the same; an unknown option or command exits 2.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$PORTSIM" --help >list.txt
cmds=$(awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }' list.txt)
expect_num "$(echo "$cmds" | wc -l)" -ge 12 "commands listed"
for c in $cmds; do
    expect_exit 0 "$PORTSIM" "$c" --help
    h1=$EXPECT_STDOUT
    expect_exit 0 "$PORTSIM" help "$c"
    expect_eq "$EXPECT_STDOUT" "$h1" "'portsim help $c' = 'portsim $c --help'"
    expect_eq "$(echo "$h1" | head -n 1 | cut -d' ' -f1-3)" "usage: portsim $c" "first line"
    expect_stdout '-h, --help'
    expect_exit 2 "$PORTSIM" "$c" --no-such-option
    expect_stderr "portsim $c: unknown or incomplete option '--no-such-option'"
done
expect_exit 2 "$PORTSIM" help frobnicate
expect_exit 0 "$PORTSIM" help
expect_stdout 'usage: portsim'
