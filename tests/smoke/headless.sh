#!/usr/bin/env bash
# Headless lessons print the automatic-threading seed's two orders of messages, and write a
# summary and a trace that say the same.
set -u
exe=$1; out=$2
fail() { echo "FAIL: $*"; exit 1; }
clicks() { grep -oE "(Button clicked for the|Finished processing) [0-9]+(st|nd)" ; }

single=$("$exe" --headless --lesson single-threaded --time-scale 0.2 --summary-json "$out/single.json") || fail "single-threaded exited $?"
echo "$single" | clicks
[ "$(echo "$single" | clicks | tr '\n' '|')" = "Button clicked for the 1st|Finished processing 1st|Button clicked for the 2nd|Finished processing 2nd|" ] \
  || fail "single-threaded: not one click after the other"

pool=$("$exe" --headless --lesson pool-of-two --time-scale 0.2 --trace "$out/pool.json") || fail "pool-of-two exited $?"
echo "$pool" | clicks
[ "$(echo "$pool" | clicks | head -2 | cut -c1-14 | tr '\n' '|')" = "Button clicked|Button clicked|" ] \
  || fail "pool-of-two: the second click did not start before the first finished"

grep -q '"completed": 2' "$out/single.json" || fail "summary JSON does not count 2 completed events"
grep -q '"threads_left": 0' "$out/single.json" || fail "summary JSON reports threads left behind"
grep -q '"traceEvents"' "$out/pool.json" || fail "no trace written"
echo "ok: both orders of the seed, summary and trace written"
