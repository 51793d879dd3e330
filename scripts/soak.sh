#!/usr/bin/env bash
# Soak: runs a heavy mixed scenario headless for SECONDS (default 600, ten minutes) and samples
# resident memory, live threads and the accounting every second (scripts/soak.py). Fails when
# the heap in use or the resident memory grows once the bounded trace is full, when any accounting read does not add up, or when
# a thread is left at the end. Scenario, log, samples and progress lines go to build/soak/.
# Uses build/release (built here if needed), or the executable in $THREADLAB_EXE.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || [ "$seconds" -lt 45 ]; then
  echo "soak.sh: SECONDS must be a whole number of at least 45 (the trace fills in about 22 s), got '$seconds'" >&2
  exit 2
fi
exe=${THREADLAB_EXE:-}
if [ -z "$exe" ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target threadlab
  exe=build/release/src/app/threadlab
fi
exec python3 scripts/soak.py --seconds "$seconds" --exe "$exe" --out build/soak
