#!/usr/bin/env bash
# On a 1280x720 screen (a projector) the window must open no larger than the screen, in normal and
# in presenter mode, though it asks for 1600x1000: the screenshot is the window's whole content.
set -u
exe=$1; out_dir=$2
command -v xvfb-run >/dev/null || { echo "SKIP: xvfb-run is not installed (apt-get install xvfb xauth)"; exit 77; }
command -v identify >/dev/null || { echo "SKIP: ImageMagick's identify is not installed"; exit 77; }
for mode in normal presenter; do
  png="$out_dir/smoke-small-screen-$mode.png"
  rm -f "$png"
  flags=(--sessions 4 --clicks 2 --frames 10 --screenshot "$png")
  [ $mode = presenter ] && flags+=(--presenter)
  xvfb-run -a -s "-screen 0 1280x720x24" "$exe" "${flags[@]}" || { echo "FAIL: threadlab exited $? ($mode)"; exit 1; }
  [ -s "$png" ] || { echo "FAIL: no screenshot written ($mode)"; exit 1; }
  read -r width height < <(identify -format '%w %h\n' "$png")
  echo "$mode: ${width}x${height} on a 1280x720 screen"
  [ "$width" -le 1280 ] && [ "$height" -le 720 ] || { echo "FAIL: larger than the screen ($mode)"; exit 1; }
done
