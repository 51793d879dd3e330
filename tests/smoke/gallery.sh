#!/usr/bin/env bash
# Renders every lesson at its key moment as scripts/gallery.sh does (presenter mode, 1280x720) and
# checks each picture: exactly the screen's size, and not blank (many colours on it).
set -u
exe=$1; out_dir=$2
command -v xvfb-run >/dev/null || { echo "SKIP: xvfb-run is not installed"; exit 77; }
command -v identify >/dev/null || { echo "SKIP: imagemagick is not installed"; exit 77; }
here=$(cd "$(dirname "$0")/../.." && pwd)
work="$out_dir/smoke-gallery"
rm -rf "$work"; mkdir -p "$work"
bash "$here/scripts/gallery.sh" "$exe" "$work" || { echo "FAIL: gallery.sh"; exit 1; }
count=0
for png in "$work"/*.png; do
  size=$(identify -format "%wx%h" "$png")
  colours=$(identify -format "%k" "$png")
  echo "$(basename "$png"): $size, $colours colours"
  [ "$size" = "1280x720" ] || { echo "FAIL: $png is $size, not the screen's 1280x720"; exit 1; }
  [ "$colours" -gt 50 ] || { echo "FAIL: $png looks blank ($colours colours)"; exit 1; }
  count=$((count + 1))
done
expected=$("$exe" --list-lessons | wc -l)
[ "$count" -eq "$expected" ] || { echo "FAIL: $count pictures, expected one per lesson ($expected)"; exit 1; }
echo "all $count lessons rendered"
