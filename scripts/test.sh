#!/usr/bin/env bash
# The test command. Installs what is missing, then builds and tests, warnings as errors:
#   ci    (GCC, optimised): every test, the wall-clock-bound lessons and the windowed smoke tests too;
#   tsan  (GCC, ThreadSanitizer, asserts on): the engine tests and the program's smoke tests;
#   asan  (clang, AddressSanitizer + UBSan, asserts on): the engine tests, and from the same objects
#         the libFuzzer targets, which then fuzz the scenario parser, the trace reader and the command
#         line for 60 s (scripts/fuzz.sh);
# and last soaks the plain build for 60 s (scripts/soak.sh). Each step prints how long it took.
#   bash scripts/test.sh           everything (what CI runs)
#   bash scripts/test.sh --quick   the edit-compile-test loop: the ci build and its tests but the
#                                  gallery (every lesson's picture, the slowest test)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
case "${1:-}" in
  "") ;;
  --quick) quick=1 ;;
  *) echo "test.sh: unknown argument '$1' (use --quick, or nothing)" >&2; exit 2 ;;
esac
bash scripts/install-deps.sh

start=$(date +%s)
step_start=$start
step_done() {  # what was done
  local now; now=$(date +%s)
  echo "=== $1: $(( now - step_start )) s"
  step_start=$now
}
presets=(ci tsan asan)
ctest_extra=()
if [ "$quick" -eq 1 ]; then
  presets=(ci)
  ctest_extra=(-E '^smoke\.gallery$')
fi
for preset in "${presets[@]}"; do
  echo "=== $preset: build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  step_done "$preset build"
  echo "=== $preset: test"
  ctest --preset "$preset" -j "$(nproc)" --timeout 300 "${ctest_extra[@]}"
  step_done "$preset tests"
done
if [ "$quick" -eq 1 ]; then
  echo "=== quick: the ci build and its tests passed in $(( $(date +%s) - start )) s"
  exit 0
fi
echo "=== fuzz: the scenario parser, the trace reader and the command line, 60 s"
bash scripts/fuzz.sh 60
step_done "fuzz"
echo "=== soak: a heavy mixed scenario headless, 60 s"
THREADLAB_EXE=build/ci/src/app/threadlab bash scripts/soak.sh 60
step_done "soak"
echo "=== all three suites, the fuzzer and the soak passed in $(( $(date +%s) - start )) s"
