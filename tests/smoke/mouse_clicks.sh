#!/usr/bin/env bash
# Clicks "Add session" with xdotool under Xvfb and checks that every click opened a session: the
# press and release of `xdotool click` are ~1 ms apart, far shorter than a frame under llvmpipe,
# and the fast clicks land several in one frame. The screen is a 1280x720 projector and the
# remembered size is larger, so this also checks that the window opens no larger than the screen.
set -u
exe=$1; out_dir=$2
command -v xvfb-run >/dev/null || { echo "SKIP: xvfb-run is not installed (apt-get install xvfb xauth)"; exit 77; }
command -v xdotool >/dev/null || { echo "SKIP: xdotool is not installed"; exit 77; }
work="$out_dir/smoke-mouse-clicks"
rm -rf "$work"; mkdir -p "$work/config/threadlab"
# A size remembered from a bigger screen: it must be clamped to this one.
printf '[ThreadLab][Preferences]\nWindowWidth=2400\nWindowHeight=1500\nPresenter=0\n\n' \
  >"$work/config/threadlab/imgui.ini"

XDG_CONFIG_HOME="$work/config" xvfb-run -a -s "-screen 0 1280x720x24" bash -c '
  exe=$1; log=$2
  "$exe" --sessions 0 --num-threads 2 --report-frames >"$log" 2>&1 & app=$!
  # Blocks until the window exists (no fixed sleep); the timeout only guards against a hang.
  window=$(timeout 60 xdotool search --sync --onlyvisible --name "^ThreadLab$" | head -n 1)
  [ -n "$window" ] || { echo "FAIL: no window"; kill -9 $app; exit 1; }
  eval "$(xdotool getwindowgeometry --shell "$window")"  # X Y WIDTH HEIGHT
  echo "window ${WIDTH}x${HEIGHT} at $X,$Y on a 1280x720 screen"
  if [ "$WIDTH" -gt 1280 ] || [ "$HEIGHT" -gt 720 ]; then
    echo "FAIL: the window is larger than the screen"; kill -TERM $app; wait $app; exit 1
  fi
  sleep 2  # let the first frames draw, so the toolbar is where the clicks go
  # "Add session" is the toolbar'"'"'s first button, at the top left of the window.
  xdotool mousemove --window "$window" 40 18
  sleep 0.3
  xdotool click --repeat 3 --delay 500 1   # half a second apart, as a person clicks
  xdotool click --repeat 5 --delay 15 1    # faster than frames: several in one frame
  xdotool click --repeat 4 --delay 120 1
  sleep 2  # the queued transitions are fed one per frame; leave time for them
  kill -TERM $app
  wait $app; code=$?
  cat "$log"
  [ $code -eq 143 ] || { echo "FAIL: exit code $code, expected 143 (SIGTERM)"; exit 1; }
' clicks "$exe" "$work/threadlab.log" || exit 1

expected=12
grep -q "input: $expected mouse presses; $expected sessions open at exit" "$work/threadlab.log" || {
  echo "FAIL: expected $expected clicks, each opening a session"; exit 1; }
echo "all $expected clicks counted"
