#!/usr/bin/env bash
# Runs the real program under Xvfb with busy sessions and checks that the PNG is a real rendering:
# the expected size, many distinct colours, not one flat colour.
set -u
exe=$1; out_dir=$2
command -v xvfb-run >/dev/null || { echo "SKIP: xvfb-run is not installed (apt-get install xvfb xauth)"; exit 77; }
command -v identify >/dev/null || { echo "SKIP: ImageMagick's identify is not installed"; exit 77; }
png="$out_dir/smoke-screenshot.png"
rm -f "$png"
xvfb-run -a -s "-screen 0 1600x1000x24" "$exe" --sessions 4 --tasks 3 --num-threads 2 --time-scale 0.2 \
  --frames 30 --screenshot "$png" || { echo "FAIL: threadlab exited $?"; exit 1; }
[ -s "$png" ] || { echo "FAIL: no screenshot written"; exit 1; }
read -r width height colours < <(identify -format '%w %h %k\n' "$png")
echo "screenshot: ${width}x${height}, $colours distinct colours"
[ "$width" -eq 1600 ] && [ "$height" -eq 1000 ] || { echo "FAIL: expected 1600x1000"; exit 1; }
[ "$colours" -ge 64 ] || { echo "FAIL: only $colours colours: not a real rendering"; exit 1; }
