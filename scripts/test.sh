#!/usr/bin/env bash
# The test command. Installs what is missing, then builds and tests, warnings as errors:
#   ci    (GCC, optimised): every test, the wall-clock-bound lessons and the program's smoke tests
#         (flags, signals, the real window) too;
#   tsan  (GCC, ThreadSanitizer, asserts on): the engine tests;
#   asan  (clang, AddressSanitizer + UBSan, asserts on): the engine tests, and from the same objects
#         the libFuzzer targets, which fuzz the scenario parser, the trace reader and the command
#         line last, 60 s of fuzzing on two cores (scripts/fuzz.sh);
#   web   (emscripten): the engine tests as WebAssembly under node, and the page in headless
#         Chromium (tests/web/browser_test.mjs);
# and soaks the plain build for 60 s (scripts/soak.sh) beside the tsan build. Each step prints how
# long it took.
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
# The other presets configure in the background while ci builds (the web one spends some seconds
# asking emscripten what it is); each build below waits for its own.
mkdir -p build
for preset in tsan asan web; do
  cmake --preset "$preset" >"build/configure-$preset.log" 2>&1 &
  eval "configure_$preset=\$!"
done
configured() {  # preset: waits for its background configure, failing with its log
  local pid_var="configure_$1"
  wait "${!pid_var}" || { cat "build/configure-$1.log" >&2; echo "=== $1: configure failed" >&2; exit 1; }
}
build ci
step_done "ci build"
run_tests ci

# The soak (a heavy mixed scenario, headless, for 60 s on the ci build) keeps about half a core busy
# and must not be starved (a backlog of events is memory that looks like a leak): it runs beside the
# tsan build, which is niced and takes what the soak leaves. Nothing runs beside any test: the web
# tests beside the soak, even niced, starved it once (its heap floor rose 1 MiB and it failed); a
# niced build beside the tsan tests made them 26 s slower, and the pair took longer than one after
# the other.
echo "=== soak beside the tsan build: a heavy mixed scenario, headless, for 60 s"
THREADLAB_EXE=build/ci/src/app/threadlab bash scripts/soak.sh 60 >build/soak-run.log 2>&1 &
soak_pid=$!
configured tsan
echo "=== tsan: build (niced)"
nice -n 19 cmake --build --preset tsan
soak_status=0
wait "$soak_pid" || soak_status=$?
cat build/soak-run.log
[ "$soak_status" -eq 0 ] || { echo "=== soak failed (exit $soak_status)"; exit 1; }
step_done "tsan build and soak"
run_tests tsan
for preset in asan web; do
  configured "$preset"
  echo "=== $preset: build"
  cmake --build --preset "$preset"
  step_done "$preset build"
  run_tests "$preset"
done
# Last and alone: libFuzzer on both cores, 60 s of fuzzing in all.
echo "=== fuzz: the scenario parser, the trace reader and the command line, 60 s of fuzzing on two cores"
bash scripts/fuzz.sh 60 >build/fuzz-run.log 2>&1 || { cat build/fuzz-run.log; echo "=== fuzz failed"; exit 1; }
cat build/fuzz-run.log
step_done "fuzz"
echo "=== all four suites, the soak and the fuzzer passed in $(( $(date +%s) - start )) s"
