#!/usr/bin/env bash
# e2e_teach.sh - the teaching files say what the trace prints: every phrase
# in double quotes in the comments of experiments/teach/*.ini must occur in
# 'portsim trace FILE' (text), "..." standing for any text within one line.
# A phrase that the trace stopped printing (or never printed) fails here,
# with the file and the phrase.
set -eu
. "${BASH_SOURCE%/*}/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The ERE of a quoted phrase: specials escaped, "..." any text, blanks squeezed.
phrase_re() {
    printf '%s' "$1" | sed -e 's/[][\.*^$(){}+?|/]/\\&/g' -e 's/\\\.\\\.\\\./.*/g' \
        -e 's/  */ /g'
}

checked=0
for ini in experiments/teach/*.ini; do
    "$PORTSIM" trace "$ini" | tr -s ' ' >"$tmp/trace.txt"
    # the comment lines joined into one text, then each "..." phrase on its own line
    sed -n 's/^;[[:space:]]*//p' "$ini" | tr '\n' ' ' | grep -o '"[^"]*"' |
        sed 's/^"//; s/"$//' >"$tmp/phrases.txt" || true
    while IFS= read -r phrase; do
        re=$(phrase_re "$phrase")
        if ! grep -qE -- "$re" "$tmp/trace.txt"; then
            expect_fail "$ini quotes \"$phrase\", which 'portsim trace $ini' never prints"
        fi
        checked=$((checked + 1))
    done <"$tmp/phrases.txt"
done
echo "$checked quoted phrases found in the traces"
expect_num "$checked" -ge 12 "quoted phrases checked"
