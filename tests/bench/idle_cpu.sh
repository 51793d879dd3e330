#!/usr/bin/env bash
# CPU used by the windowed program while idle: N sessions with nothing to do, measured from
# /proc/PID/stat over a span of seconds under Xvfb. Usage: idle_cpu.sh THREADLAB [SESSIONS] [SECONDS]
set -euo pipefail
exe=$1; sessions=${2:-16}; span=${3:-10}
xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
  exe=$1; sessions=$2; span=$3
  "$exe" --sessions "$sessions" & app=$!
  timeout 60 xdotool search --sync --name "^ThreadLab$" >/dev/null
  sleep 2  # let start-up settle: this measures idling, not starting
  ticks() { awk "{print \$14 + \$15}" /proc/$app/stat; }
  hz=$(getconf CLK_TCK)
  before=$(ticks); start=$(date +%s%N)
  sleep "$span"
  after=$(ticks); end=$(date +%s%N)
  threads=$(ls /proc/$app/task | wc -l)
  kill -TERM $app; wait $app
  awk -v t=$((after - before)) -v hz=$hz -v ns=$((end - start)) -v s=$sessions -v th=$threads \
    "BEGIN { cpu = t / hz; wall = ns / 1e9; printf \"idle: %d sessions, %d threads, %.2f s CPU in %.1f s = %.2f%% of one core\\n\", s, th, cpu, wall, 100 * cpu / wall }"
' idle "$exe" "$sessions" "$span"
