#!/usr/bin/env bash
# The test command. Installs what is missing, then builds and tests, warnings as errors:
#   ci    (GCC, optimised): every test, the wall-clock-bound lessons and the program's smoke tests
#         (flags, signals, the real window) too;
#   tsan  (GCC, ThreadSanitizer, asserts on): the engine tests;
#   asan  (clang, AddressSanitizer + UBSan, asserts on): the engine tests, and from the same objects
#         the libFuzzer targets, which fuzz the scenario parser, the trace reader and the command
#         line beside the web tests, niced, 120 s of fuzzing in all (scripts/fuzz.sh);
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
nice_build=()  # a command prefix for the builds (nice, while the soak runs)
# One compiler per core: ninja's default (cores + 2) makes the large unity files contend for the
# caches. Cold ci builds from a fresh clone, 2026-12-05: 94 and 102 s with 2 jobs, 108 s with 3,
# 112 and 126 s with 4.
build() {  # preset: configure and build
  echo "=== $1: build ${nice_build[*]}"
  cmake --preset "$1" >/dev/null
  "${nice_build[@]}" cmake --build --preset "$1" -j "$(nproc)"
}
# The sanitizers' tests keep both cores busy: one at a time per core. The ci tests include the
# signals and the real window, which wait on the wall clock for much of their time: one more than
# the cores (measured: 62 s against 66 s at two), but the lessons, which measure the wall clock,
# count as two (tests/CMakeLists.txt), so they never have more than one neighbour.
run_tests() {  # preset [parallel tests]
  echo "=== $1: test"
  ctest --preset "$1" -j "${2:-$(nproc)}" --timeout 300 "${ctest_extra[@]}"
  step_done "$1 tests"
}
if [ "$quick" -eq 1 ]; then
  build ci
  step_done "ci build"
  run_tests ci "$(( $(nproc) + 1 ))"
  echo "=== quick: the ci build and its tests passed in $(( $(date +%s) - start )) s"
  exit 0
fi
# What runs in the background (the soak, the fuzzers) ends with this script, failed or not.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
build ci
step_done "ci build"
run_tests ci "$(( $(nproc) + 1 ))"

# The soak (a heavy mixed scenario, headless, for 60 s on the ci build) keeps about half a core busy
# and must not be starved (a backlog of events is memory that looks like a leak): it runs beside the
# tsan build, which is niced and takes what the soak leaves. The web tests beside the soak, even
# niced, starved it once (its heap floor rose 1 MiB and it failed); a niced build beside the tsan
# tests made them 26 s slower, and the pair took longer than one after the other.
echo "=== soak beside the tsan build: a heavy mixed scenario, headless, for 60 s"
mkdir -p build
THREADLAB_EXE=build/ci/src/app/threadlab bash scripts/soak.sh 60 >build/soak-run.log 2>&1 &
soak_pid=$!
nice_build=(nice -n 19)
build tsan
nice_build=()
soak_status=0
wait "$soak_pid" || soak_status=$?
cat build/soak-run.log
[ "$soak_status" -eq 0 ] || { echo "=== soak failed (exit $soak_status)"; exit 1; }
step_done "tsan build and soak"
run_tests tsan
build asan
step_done "asan build"
run_tests asan
build web
step_done "web build"
# The fuzzers run beside the web tests, niced: those wait on the page and the wasm lessons and
# leave most of a core, which the fuzzers take (120 s of fuzzing in all, 60 s on each core).
echo "=== fuzz beside the web tests (niced): the scenario parser, the trace reader and the command line"
nice -n 19 bash scripts/fuzz.sh 120 >build/fuzz-run.log 2>&1 &
fuzz_pid=$!
run_tests web
fuzz_status=0
wait "$fuzz_pid" || fuzz_status=$?
cat build/fuzz-run.log
[ "$fuzz_status" -eq 0 ] || { echo "=== fuzz failed (exit $fuzz_status)"; exit 1; }
step_done "fuzz (after the web tests)"
echo "=== all four suites, the soak and the fuzzer passed in $(( $(date +%s) - start )) s"
