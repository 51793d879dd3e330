#!/usr/bin/env bash
# Headless lessons print the automatic-threading seed's two orders of messages, and write a
# summary and a trace that say the same. Predict first: before the run's log only the setup and the
# question; after it the verdict, read from what this run measured.
set -u
exe=$1; out=$2
fail() { echo "FAIL: $*"; exit 1; }
clicks() { grep -oE "(Button clicked for the|Finished processing) [0-9]+(st|nd)" ; }

single=$("$exe" --headless --lesson single-threaded --time-scale 0.2 --summary-json "$out/single.json") || fail "single-threaded exited $?"
echo "$single" | clicks
[ "$(echo "$single" | clicks | tr '\n' '|')" = "Button clicked for the 1st|Finished processing 1st|Button clicked for the 2nd|Finished processing 2nd|" ] \
  || fail "single-threaded: not one click after the other"

# Before the first log line ("  +0.002 s  #1 ..."): the question and its choices, no answer.
before=$(echo "$single" | sed -n '/^  +[0-9]/q;p')
after=$(echo "$single" | sed -n '/^  +[0-9]/,$p')
[ -n "$after" ] || fail "single-threaded: no log lines"
echo "$before" | grep -q "Predict:" || fail "single-threaded: no question before the run"
echo "$before" | grep -q "b) about 4 s" || fail "single-threaded: no choices before the run"
if echo "$before" | grep -qiE "Watch:|Why:|Result:|Answer|measured|matches|one after the other"; then
  fail "single-threaded: the answer shows before the run: $(echo "$before" | grep -iE "Watch:|Why:|Result:|Answer|measured|matches|one after the other")"
fi
echo "$after" | grep -E "Result:" || fail "single-threaded: no verdict after the run"
echo "$after" | grep -qE "Result: +This run measured [0-9]+\.[0-9]+ simulated s .*which matches b\) about 4 s, the usual answer\." \
  || fail "single-threaded: the verdict does not give the measured time and the choice it matches"
echo "$after" | grep -q "Watch:" || fail "single-threaded: no Watch after the run"

pool=$("$exe" --headless --lesson pool-of-two --time-scale 0.2 --trace "$out/pool.json") || fail "pool-of-two exited $?"
echo "$pool" | clicks
[ "$(echo "$pool" | clicks | head -2 | cut -c1-14 | tr '\n' '|')" = "Button clicked|Button clicked|" ] \
  || fail "pool-of-two: the second click did not start before the first finished"

echo "$pool" | grep -qE "Result: +This run measured [0-9]+\.[0-9]+ simulated s .*which matches a\) about 2 s" \
  || fail "pool-of-two: the verdict does not match a) about 2 s"

grep -q '"completed": 2' "$out/single.json" || fail "summary JSON does not count 2 completed events"
grep -q '"threads_left": 0' "$out/single.json" || fail "summary JSON reports threads left behind"
grep -q '"traceEvents"' "$out/pool.json" || fail "no trace written"
echo "ok: both orders of the seed, predict first, measured verdicts, summary and trace written"
