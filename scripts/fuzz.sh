#!/usr/bin/env bash
# Fuzzes the scenario parser, the trace reader and the command line with libFuzzer (clang, ASan +
# UBSan) for SECONDS of fuzzing in all (default 60), on two cores at once, so in half that time; seeded with the scenario files and lessons in assets/ and
# the seeds in tests/fuzz/seeds/. Any crash, leak, sanitizer report or
# unexpected exception fails the run; libFuzzer saves the input as build/fuzz/crash-* to replay:
#   build/asan/tests/fuzz/threadlab_fuzz_scenario build/fuzz/crash-...   (or _trace, _command_line)
# For a longer hunt: bash scripts/fuzz.sh 3600 (the corpora in build/fuzz/corpus-* grow across runs).
# The targets are built by the asan preset (clang), which builds the engine tests from the same objects.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: SECONDS must be a positive whole number, got '$seconds'" >&2
  exit 2
fi
cmake --preset asan >/dev/null
cmake --build --preset asan --target threadlab_fuzz_scenario threadlab_fuzz_trace threadlab_fuzz_command_line
mkdir -p build/fuzz
rm -f build/fuzz/last-run-*.log.summary
# Half the fuzzing for the scenario parser (hand-written files) on one core; on the other, a quarter
# each for the trace reader (--replay takes files from anywhere) and the command line (arguments
# split at NUL bytes).
run_target() {  # name, seconds, dictionary ("" for none), corpus seeds...
  local name=$1 time=$2 dict=$3; shift 3
  local corpus=build/fuzz/corpus-$name log=build/fuzz/last-run-$name.log status=0
  local extra=()
  [ -z "$dict" ] || extra=(-dict="$dict")
  mkdir -p "$corpus"
  cp "$@" "$corpus"/
  # -timeout catches an input that makes the reader hang, -rss_limit_mb one that makes it eat
  # memory (the readers refuse files over their size limit long before that).
  build/asan/tests/fuzz/threadlab_fuzz_$name "$corpus" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -close_fd_mask=3 -artifact_prefix=build/fuzz/ "${extra[@]}" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    grep -v -E '^#[0-9]+' "$log" | tail -60 >&2
    echo "fuzz.sh: the $name fuzzer found a failing input (exit $status; input saved under build/fuzz/, log in $log)" >&2
    return 1
  fi
  { echo "$name:"; grep -E '^(Done|stat::)' "$log"; } >"$log.summary"
}
quarter=$(( (seconds + 3) / 4 ))
run_target scenario $(( seconds - 2 * quarter > 0 ? seconds - 2 * quarter : 1 )) tests/fuzz/scenario.dict \
  assets/scenarios/*.json assets/lessons/*.json &
scenario_lane=$!
other_status=0
{ run_target trace "$quarter" "" tests/fuzz/seeds/trace/* &&
  run_target command_line "$quarter" "" tests/fuzz/seeds/command_line/*; } || other_status=$?
scenario_status=0
wait "$scenario_lane" || scenario_status=$?
for name in scenario trace command_line; do
  [ ! -f "build/fuzz/last-run-$name.log.summary" ] || cat "build/fuzz/last-run-$name.log.summary"
done
[ "$scenario_status" -eq 0 ] && [ "$other_status" -eq 0 ] || exit 1
