#!/usr/bin/env bash
# SIGINT and SIGTERM at random moments of a headless run (the workshop demo at time scale 0.1,
# about 1.2 s): early, mid-run, while sessions are destroyed, while the summary is written. Every
# time the program must exit cleanly (128 + the signal, or 0 when the run had already ended),
# print its summary, write a summary JSON whose accounting adds up, and leave no thread behind.
set -u
exe=$1; scenario=$2; out=$3/signals; rounds=${4:-12}
mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
check_summary() {  # file: parses, every count adds up, no thread left
  python3 "$(dirname "$0")/../../scripts/summary_check.py" "$1"
}
RANDOM=$$
for round in $(seq 1 "$rounds"); do
  signal=$([ $((round % 2)) -eq 1 ] && echo INT || echo TERM)
  expected=$([ "$signal" = INT ] && echo 130 || echo 143)
  delay_ms=$((RANDOM % 1500))
  log="$out/run-$round.log"; json="$out/run-$round.json"; fifo="$out/fifo-$round"
  rm -f "$json" "$fifo"; mkfifo "$fifo"
  "$exe" --headless --scenario "$scenario" --time-scale 0.1 --summary-json "$json" >"$fifo" 2>&1 &
  app=$!
  # The first line of output comes after the signal watcher is installed: wait for it (a
  # blocking read, no polling), then let the random delay pass and signal.
  exec 3<"$fifo"
  IFS= read -r first <&3 || fail "round $round: no output"
  { echo "$first"; cat <&3; } >"$log" &
  reader=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -s "$signal" "$app" 2>/dev/null
  wait "$app"; code=$?
  wait "$reader"; exec 3<&-; rm -f "$fifo"
  moment=$(grep -c . "$log")
  echo "round $round: SIG$signal after ${delay_ms} ms -> exit $code ($moment lines of output)"
  [ "$code" -eq "$expected" ] || [ "$code" -eq 0 ] || fail "round $round: exit code $code, expected $expected or 0"
  grep -q "^Summary of" "$log" || fail "round $round: no summary printed (log: $log)"
  if [ "$code" -eq "$expected" ]; then
    grep -q "(interrupted)\|stopped by SIG" "$log" ||
      fail "round $round: exit $code but it says neither that the run was interrupted nor that a signal stopped it"
  fi
  [ -s "$json" ] || fail "round $round: no summary JSON"
  check_summary "$json" || fail "round $round: summary JSON $json"
done
echo "ok: $rounds signals at random moments, each a clean exit with a balanced summary"
