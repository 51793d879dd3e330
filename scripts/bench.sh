#!/usr/bin/env bash
# Installs what is missing, builds the release preset and runs every benchmark, printing one table:
# engine (pool throughput against a plain pool, resize, session lifecycle), render loop CPU and lock
# waits (--bench-ui at 16, 64, 256 and 1024 busy sessions), idle CPU under Xvfb, exit time, and the
# web build in headless Chromium (first frame; frames at 16 and 64 busy sessions).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target threadlab threadlab_bench_engine >/dev/null
exe=build/release/src/app/threadlab

build/release/tests/bench/threadlab_bench_engine
for sessions in 16 64 256 1024; do
  line=$("$exe" --bench-ui --sessions "$sessions" --frames 300)
  printf '| %-58s | %-44s |\n' "render loop, $sessions busy sessions: frame CPU" "$(sed -E 's/.*frame CPU (p50 [^;]*);.*/\1/' <<<"$line")"
  printf '| %-58s | %-44s |\n' "render loop, $sessions busy sessions: longest lock wait/frame" "$(sed -E 's/.*per frame (.*)$/\1/' <<<"$line")"
done
idle=$(bash tests/bench/idle_cpu.sh "$exe" 16 10)
printf '| %-58s | %-44s |\n' "idle window, 16 sessions, 10 s (Xvfb)" "$(sed -E 's/.* = (.*) of one core/\1 of one core/' <<<"$idle")"
exit_line=$(bash tests/bench/exit_time.sh "$exe" 32)
printf '| %-58s | %-44s |\n' "exit after SIGTERM, 32 busy sessions" "$(sed -E 's/.*(exit code .*)/\1/' <<<"$exit_line")"
# The web build, in headless Chromium: first frame, and frames at 16 and 64 busy sessions.
cmake --preset web >/dev/null
cmake --build --preset web --target threadlab >/dev/null
node --experimental-websocket --no-warnings tests/bench/web_bench.mjs build/web/src/web
