#!/usr/bin/env bash
# Fuzzes the scenario parser with libFuzzer (clang, ASan + UBSan) for SECONDS (default 60),
# seeded with the scenario files and lessons in assets/. Any crash, leak, sanitizer report or
# unexpected exception fails the run; libFuzzer saves the input as build/fuzz/crash-* to replay:
#   build/fuzz/tests/fuzz/threadlab_fuzz_scenario build/fuzz/crash-...
# For a longer hunt: bash scripts/fuzz.sh 3600 (the corpus in build/fuzz/corpus grows across runs).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: SECONDS must be a positive whole number, got '$seconds'" >&2
  exit 2
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
corpus=build/fuzz/corpus
mkdir -p "$corpus"
cp assets/scenarios/*.json assets/lessons/*.json "$corpus"/
# One job; -timeout catches an input that makes the parser hang, -rss_limit_mb one that makes it
# eat memory (the parser refuses files over 16 MiB long before that).
log=build/fuzz/last-run.log
status=0
build/fuzz/tests/fuzz/threadlab_fuzz_scenario "$corpus" \
  -dict=tests/fuzz/scenario.dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix=build/fuzz/ >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  grep -v -E '^#[0-9]+' "$log" | tail -60 >&2
  echo "fuzz.sh: the fuzzer found a failing input (exit $status; input saved under build/fuzz/, log in $log)" >&2
  exit 1
fi
grep -E '^(Done|stat::)' "$log"
