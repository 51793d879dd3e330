#!/usr/bin/env bash
# SIGTERM (what a window manager or `kill` sends) to a window with busy sessions: a clean exit,
# code 143 (128 + SIGTERM, as for any signal), every thread joined. Prints how long the exit took.
set -u
exe=$1
command -v xvfb-run >/dev/null || { echo "SKIP: xvfb-run is not installed (apt-get install xvfb xauth)"; exit 77; }
command -v xdotool >/dev/null || { echo "SKIP: xdotool is not installed"; exit 77; }
xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
  "$1" --sessions 32 --tasks 5 --work compute --gil --num-threads 8 & app=$!
  # Blocks until the window exists (no fixed sleep); the timeout only guards against a hang.
  timeout 60 xdotool search --sync --name "^ThreadLab$" >/dev/null || { echo "FAIL: no window"; kill -9 $app; exit 1; }
  start=$(date +%s%N)
  kill -TERM $app
  wait $app; code=$?
  echo "exit code $code, $(( ($(date +%s%N) - start) / 1000000 )) ms after SIGTERM with 32 busy sessions"
  [ $code -eq 143 ] || { echo "FAIL: exit code $code, expected 143"; exit 1; }
' sigterm "$exe"
