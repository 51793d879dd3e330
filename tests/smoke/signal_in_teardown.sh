#!/usr/bin/env bash
# A stop signal that arrives after the run, while the program writes its --trace and tears the
# World down, must still end it with 128 + the signal (it used to exit 0), the trace written whole.
# Deterministic: the trace goes to a FIFO. Opening its reading end returns exactly when the program
# opens it to write the trace, after the run; the reader signals the program then, and reads on.
set -u
exe=$1; scenario=$2; out=$3/signal_in_teardown
mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
for signal in INT TERM; do
  expected=$([ "$signal" = INT ] && echo 130 || echo 143)
  fifo="$out/trace-$signal.fifo"; trace="$out/trace-$signal.json"; log="$out/run-$signal.log"
  rm -f "$fifo" "$trace"; mkfifo "$fifo"
  "$exe" --headless --scenario "$scenario" --time-scale 0.05 --trace "$fifo" >"$log" 2>&1 &
  app=$!
  # A guard only (timeout): a program that never writes the trace would leave the reader waiting.
  timeout 60 python3 - "$fifo" "$trace" "$app" "SIG$signal" <<'PY' || fail "SIG$signal: the trace was never opened or read"
import os, signal, sys
fifo, trace, app, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
fd = os.open(fifo, os.O_RDONLY)  # returns when the program opens the FIFO to write the trace
os.kill(app, getattr(signal, name))
with open(trace, "wb") as out:
    while chunk := os.read(fd, 65536):
        out.write(chunk)
PY
  wait "$app"; code=$?
  rm -f "$fifo"
  echo "SIG$signal while the trace is written: exit $code"
  [ "$code" -eq "$expected" ] || { cat "$log"; fail "SIG$signal: exit $code, expected $expected"; }
  grep -q "stopped by SIG$signal" "$log" || { cat "$log"; fail "SIG$signal: it does not say that the signal stopped it"; }
  python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["traceEvents"], "no events"' "$trace" ||
    fail "SIG$signal: the trace is not a whole Chrome trace"
done
echo "ok: a signal while the trace is written ends the program with 128 + its number, the trace whole"
