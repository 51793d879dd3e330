#!/usr/bin/env bash
# Renders every lesson at its key moment as scripts/gallery.sh does (presenter mode, 1280x720), at
# four times the speed (--time-scale 0.25: the same moments, in a quarter of the wall clock and of
# the frames drawn by the software renderer), and checks each picture: exactly the screen's size,
# and not blank (many colours on it).
#   gallery.sh EXE OUT_DIR [K/N]   only part K of N of the lessons (ctest runs the parts side by side)
set -u
exe=$1; out_dir=$2; part=${3:-1/1}
command -v xvfb-run >/dev/null || { echo "SKIP: xvfb-run is not installed"; exit 77; }
command -v identify >/dev/null || { echo "SKIP: imagemagick is not installed"; exit 77; }
here=$(cd "$(dirname "$0")/../.." && pwd)
work="$out_dir/smoke-gallery-${part/\//-of-}"
rm -rf "$work"; mkdir -p "$work"
bash "$here/scripts/gallery.sh" "$exe" "$work" "$part" 0.25 || { echo "FAIL: gallery.sh"; exit 1; }
count=0
for png in "$work"/*.png; do
  size=$(identify -format "%wx%h" "$png")
  colours=$(identify -format "%k" "$png")
  echo "$(basename "$png"): $size, $colours colours"
  [ "$size" = "1280x720" ] || { echo "FAIL: $png is $size, not the screen's 1280x720"; exit 1; }
  [ "$colours" -gt 50 ] || { echo "FAIL: $png looks blank ($colours colours)"; exit 1; }
  count=$((count + 1))
done
# The lessons of this part, counted independently of gallery.sh: the K-th of every N.
k=${part%/*}; n=${part#*/}
expected=$("$exe" --list-lessons | awk -v k="$k" -v n="$n" '(NR - 1) % n == k - 1' | wc -l)
[ "$count" -eq "$expected" ] || { echo "FAIL: $count pictures, expected one per lesson of part $part ($expected)"; exit 1; }
echo "all $count lessons of part $part rendered"
