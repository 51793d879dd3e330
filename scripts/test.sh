#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole suite three times, warnings as errors:
# plain (ci), under ThreadSanitizer (tsan), and under AddressSanitizer + UBSan (asan).
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
echo "=== all three suites passed in $(( $(date +%s) - start )) s"
