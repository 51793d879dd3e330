#!/usr/bin/env bash
# Time from asking the windowed program to stop (SIGTERM, as a window manager's close or Ctrl+C
# does) to process exit, with N busy sessions. Usage: exit_time.sh THREADLAB [SESSIONS]
set -euo pipefail
exe=$1; sessions=${2:-32}
xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
  exe=$1; sessions=$2
  "$exe" --sessions "$sessions" --tasks 5 --clicks 2 --work compute --gil --duration 5 & app=$!
  timeout 60 xdotool search --sync --name "^ThreadLab$" >/dev/null
  sleep 2  # let the sessions get busy
  threads=$(ls /proc/$app/task | wc -l)
  start=$(date +%s%N)
  kill -TERM $app
  wait $app; code=$?
  echo "exit: $sessions busy sessions ($threads threads): exit code $code after $(( ($(date +%s%N) - start) / 1000000 )) ms"
' exit "$exe" "$sessions"
