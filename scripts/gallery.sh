#!/usr/bin/env bash
# Renders every built-in lesson at its key moment, in presenter mode on a 1280x720 screen (a
# projector), into assets/gallery/LESSON.png: what the back row of a workshop sees.
#   bash scripts/gallery.sh [EXE] [OUT_DIR] [K/N] [TIME_SCALE]
# K/N renders only part K of N: the K-th lesson of every N in --list-lessons order (the smoke test
# renders the parts side by side). TIME_SCALE (default 1, real speed) is passed as --time-scale:
# the smoke test runs the lessons at 0.25, four times as fast, for a quarter of the wall clock
# and the frames.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/release/src/app/threadlab}
out=${2:-assets/gallery}
part=${3:-1/1}
time_scale=${4:-1}
[ -x "$exe" ] || { echo "gallery: $exe is not built (bash scripts/run.sh --help builds it)" >&2; exit 2; }
if ! [[ "$part" =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] || [ "${BASH_REMATCH[1]}" -gt "${BASH_REMATCH[2]}" ]; then
  echo "gallery: the part must be K/N with 1 <= K <= N, got '$part'" >&2
  exit 2
fi
part_index=$(( BASH_REMATCH[1] - 1 )); part_count=${BASH_REMATCH[2]}
mkdir -p "$out"
# lesson and the simulated second at which its phenomenon is on screen
moments=(
  "single-threaded 3.0"
  "pool-of-two 1.5"
  "more-threads-than-work 1.5"
  "runner-per-session 2.0"
  "silent-thread-death 1.6"
  "clean-up-on-destroy 3.5"
  "closing-a-tab 8.0"
  "waiting-well 1.5"
  "the-gil 6.0"
  "processes-vs-gil 6.0"
  "resize-under-load 2.5"
  "lost-updates 2.5"
  "overload 4.0"
  "debounce 1.5"
  "async-interleaving 2.8"
  "blocking-the-loop 1.5"
  "back-to-the-page 4.8"
)
declare -A moment_of
for moment in "${moments[@]}"; do
  read -r lesson at <<<"$moment"
  moment_of[$lesson]=$at
done
mapfile -t lessons < <("$exe" --list-lessons | awk '{print $1}')
index=0
for lesson in "${lessons[@]}"; do
  [ -n "${moment_of[$lesson]:-}" ] || { echo "gallery: lesson '$lesson' has no moment in $0" >&2; exit 1; }
  if [ $(( index % part_count )) -eq "$part_index" ]; then
    xvfb-run -a -s "-screen 0 1280x720x24" "$exe" --presenter --lesson "$lesson" --at "${moment_of[$lesson]}" \
      --time-scale "$time_scale" --screenshot "$out/$lesson.png"
    echo "gallery: $out/$lesson.png ($lesson at ${moment_of[$lesson]} s)"
  fi
  index=$(( index + 1 ))
done
