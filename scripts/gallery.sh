#!/usr/bin/env bash
# Renders every built-in lesson at its key moment, in presenter mode on a 1280x720 screen (a
# projector), into assets/gallery/LESSON.png: what the back row of a workshop sees.
#   bash scripts/gallery.sh [EXE] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/release/src/app/threadlab}
out=${2:-assets/gallery}
[ -x "$exe" ] || { echo "gallery: $exe is not built (bash scripts/run.sh --help builds it)" >&2; exit 2; }
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
for moment in "${moments[@]}"; do
  read -r lesson at <<<"$moment"
  xvfb-run -a -s "-screen 0 1280x720x24" "$exe" --presenter --lesson "$lesson" --at "$at" \
    --screenshot "$out/$lesson.png"
  echo "gallery: $out/$lesson.png ($lesson at ${at} s)"
done
