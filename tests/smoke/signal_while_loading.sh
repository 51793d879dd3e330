#!/usr/bin/env bash
# A stop signal that arrives while a large scenario file is still being read must end the program
# (exit 130) instead of being swallowed until a 10-minute run has played out. Whenever the signal
# lands (during the read, the parse or the run), the answer is the same: exit 130, promptly.
set -u
exe=$1; out=$2/signal_while_loading
mkdir -p "$out"
scenario="$out/large.json"
# About 12 MiB: 60 000 actions, each with a long description-free padding name, 10 minutes long.
python3 - "$scenario" <<'PY'
import json, sys
actions = [{"at": 1 + i * 0.001, "do": "add_task", "session": 1, "work": {"kind": "sleep", "seconds": 0.001}}
           for i in range(60000)]
json.dump({"name": "large", "description": "x" * 8_000_000, "sessions": 1, "end": 600, "actions": actions},
          open(sys.argv[1], "w"))
PY
for signal in INT TERM; do
  expected=$([ "$signal" = INT ] && echo 130 || echo 143)
  start=$(date +%s%N)
  "$exe" --headless --scenario "$scenario" >"$out/run-$signal.log" 2>&1 &
  app=$!
  sleep 0.2  # a moment into the read of the file: the signal is meant to come early, at any point
  kill -s "$signal" "$app"
  # A guard only: a program that ignores the signal would run for 10 minutes.
  ( sleep 60; kill -9 "$app" 2>/dev/null ) >/dev/null 2>&1 & guard=$!
  wait "$app"; code=$?
  pkill -P "$guard" 2>/dev/null; kill "$guard" 2>/dev/null; wait "$guard" 2>/dev/null
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "SIG$signal while loading: exit $code after $elapsed_ms ms"
  [ "$code" -eq "$expected" ] || { echo "FAIL: exit $code, expected $expected"; cat "$out/run-$signal.log"; exit 1; }
done
echo "ok: a signal while the scenario loads ends the program with 128 + its number"
