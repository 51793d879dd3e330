#!/usr/bin/env bash
# The test command. Installs what is missing, then builds and tests, warnings as errors:
#   ci    (GCC, optimised): every test, the wall-clock-bound lessons and the program's smoke tests
#         (flags, signals, the real window) too;
#   tsan  (GCC, ThreadSanitizer, asserts on): the engine tests;
#   asan  (clang, AddressSanitizer + UBSan, asserts on): the engine tests, and from the same objects
#         the libFuzzer targets, which then fuzz the scenario parser, the trace reader and the command
#         line for 60 s (scripts/fuzz.sh);
#   web   (emscripten): the engine tests as WebAssembly under node, and the page in headless
#         Chromium (tests/web/browser_test.mjs);
# and last soaks the plain build for 60 s (scripts/soak.sh) while the fuzzers run. Each step prints
# how long it took.
#   bash scripts/test.sh           everything (what CI runs)
#   bash scripts/test.sh --quick   the edit-compile-test loop: the ci build and its tests but the
#                                  gallery (every lesson's picture, the slowest tests)
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
ctest_extra=()
if [ "$quick" -eq 1 ]; then
  ctest_extra=(-E '^smoke\.gallery\.')
fi
build() {  # preset: configure and build
  echo "=== $1: build"
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
}
run_tests() {  # preset
  echo "=== $1: test"
  ctest --preset "$1" -j "$(nproc)" --timeout 300 "${ctest_extra[@]}"
  step_done "$1 tests"
}
if [ "$quick" -eq 1 ]; then
  build ci
  step_done "ci build"
  run_tests ci
  echo "=== quick: the ci build and its tests passed in $(( $(date +%s) - start )) s"
  exit 0
fi
for preset in ci tsan asan web; do
  build "$preset"
  step_done "$preset build"
  run_tests "$preset"
done
# The soak keeps about half a core busy and must not be starved (a backlog of events is memory that
# looks like a leak), so the fuzzers run beside it at the lowest priority, taking what it leaves.
# Nothing else runs beside it, nor beside any test: the web tests beside the soak, even niced,
# starved it once (its heap floor rose 1 MiB and it failed); a niced build beside the tsan tests
# made them 26 s slower, and the pair took longer than one after the other.
echo "=== fuzz and soak side by side: the scenario parser, the trace reader and the command line"
echo "    fuzzed for 60 s in all (niced), a heavy mixed scenario soaked headless for 60 s"
mkdir -p build
nice -n 19 bash scripts/fuzz.sh 60 >build/fuzz-run.log 2>&1 &
fuzz_pid=$!
soak_status=0
THREADLAB_EXE=build/ci/src/app/threadlab bash scripts/soak.sh 60 || soak_status=$?
fuzz_status=0
wait "$fuzz_pid" || fuzz_status=$?
cat build/fuzz-run.log
[ "$fuzz_status" -eq 0 ] || { echo "=== fuzz failed (exit $fuzz_status)"; exit 1; }
[ "$soak_status" -eq 0 ] || { echo "=== soak failed (exit $soak_status)"; exit 1; }
step_done "fuzz and soak"
echo "=== all four suites, the fuzzer and the soak passed in $(( $(date +%s) - start )) s"
