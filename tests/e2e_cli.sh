#!/usr/bin/env bash
# e2e_cli.sh - the program's front door: --help, --version, exit statuses.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
expect_exit 0 "$PORTSIM" --help
expect_stdout 'usage: portsim'
expect_exit 0 "$PORTSIM" --version
expect_stdout -E '^portsim [0-9]+\.[0-9]+\.[0-9]+$'
expect_exit 2 "$PORTSIM" frobnicate
expect_exit 2 "$PORTSIM"
