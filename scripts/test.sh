#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole suite three times, warnings as errors:
# plain (ci), under ThreadSanitizer (tsan), and under AddressSanitizer + UBSan (asan); then fuzzes
# the scenario parser, the trace reader and the command line for 60 s (scripts/fuzz.sh) and soaks the plain build for 60 s (scripts/soak.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

start=$(date +%s)
for preset in ci tsan asan; do
  echo "=== $preset: build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "=== $preset: test"
  ctest --preset "$preset" -j "$(nproc)" --timeout 300
done
echo "=== fuzz: the scenario parser, the trace reader and the command line, 60 s"
bash scripts/fuzz.sh 60
echo "=== soak: a heavy mixed scenario headless, 60 s"
THREADLAB_EXE=build/ci/src/app/threadlab bash scripts/soak.sh 60
echo "=== all three suites, the fuzzer and the soak passed in $(( $(date +%s) - start )) s"
