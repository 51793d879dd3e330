#!/usr/bin/env bash
# Without a display the program says so in one sentence (with the Xvfb hint) and exits 1.
set -u
output=$(env -u DISPLAY -u WAYLAND_DISPLAY "$1" 2>&1); code=$?
echo "$output"
[ $code -eq 1 ] || { echo "FAIL: exit code $code, expected 1"; exit 1; }
grep -q "no graphical display" <<<"$output" || { echo "FAIL: no plain explanation"; exit 1; }
grep -q "xvfb-run" <<<"$output" || { echo "FAIL: no Xvfb hint"; exit 1; }
[ "$(wc -l <<<"$output")" -eq 1 ] || { echo "FAIL: more than one line"; exit 1; }
