#!/bin/bash
# fetch-imgui.sh OUTDIR: puts Dear ImGui's sources (imgui.cpp and friends, with backends/), of the
# version libimgui-dev installed (/usr/include/imgui/imgui.h, 1.86), into OUTDIR/imgui-<version>,
# for the web build, which compiles them itself (libimgui-dev ships only an x86 library). They come
# from Debian's own source package of the same version, fetched with private apt folders under
# OUTDIR, so the system's apt set-up is untouched. Does nothing when the tree is there already, in
# OUTDIR or in the machine's copy, /var/cache/threadlab (or $THREADLAB_DEPS_CACHE), which
# scripts/install-deps.sh fetches once, as it installs packages once: a fresh clone's web build
# then starts without downloading anything.
# Prints the tree's path on stdout (last line). Called by CMake when the web preset configures.
set -euo pipefail

OUT=${1:?usage: fetch-imgui.sh OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
APTDIR="$OUT/.apt"
SYS_HDR=/usr/include/imgui/imgui.h

want_ver() {
  grep -m1 -E '^#define IMGUI_VERSION +"' "$1" | sed -E 's/.*"([^"]+)".*/\1/'
}

WANT=""
[ -f "$SYS_HDR" ] && WANT=$(want_ver "$SYS_HDR")
[ -n "$WANT" ] || { echo "fetch-imgui: cannot read IMGUI_VERSION from $SYS_HDR" >&2; exit 1; }

check_tree() {
  local d=$1 f
  for f in imgui.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp imgui.h \
           backends/imgui_impl_glfw.cpp backends/imgui_impl_opengl3.cpp; do
    [ -f "$d/$f" ] || return 1
  done
  [ "$(want_ver "$d/imgui.h")" = "$WANT" ]
}

for tree in "$OUT/imgui-$WANT" "${THREADLAB_DEPS_CACHE:-/var/cache/threadlab}/imgui-$WANT"; do
  if check_tree "$tree"; then
    echo "fetch-imgui: already present ($WANT, $tree)" >&2
    echo "$tree"
    exit 0
  fi
done
DEST="$OUT/imgui-$WANT"

# --- private apt set-up: reuse the machine's mirror URL(s) as deb-src -------
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/dl"
SRCLIST="$APTDIR/sources.list"
: > "$SRCLIST.new"
# deb822 files (*.sources): take Types: deb entries for the main archive
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  awk 'BEGIN{RS="";FS="\n"}
       { uri="";suites="";comps="";types="";key="";
         for(i=1;i<=NF;i++){
           if($i ~ /^URIs:/){sub(/^URIs: */,"",$i);uri=$i}
           else if($i ~ /^Suites:/){sub(/^Suites: */,"",$i);suites=$i}
           else if($i ~ /^Components:/){sub(/^Components: */,"",$i);comps=$i}
           else if($i ~ /^Types:/){types=$i}
           else if($i ~ /^Signed-By:/){sub(/^Signed-By: */,"",$i);key=$i}
         }
         if(types ~ /deb/ && uri != "" && suites != ""){
           n=split(suites,s," ");
           for(j=1;j<=n;j++) if (s[j] !~ /security/)
             printf "deb-src [signed-by=%s] %s %s %s\n", key, uri, s[j], comps
         }
       }' "$f" >> "$SRCLIST.new"
done
# one-line format
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  grep -E '^deb +' "$f" | grep -v -E 'security|nodesource|google' \
    | sed -E 's/^deb /deb-src /' >> "$SRCLIST.new" || true
done
sort -u "$SRCLIST.new" > "$SRCLIST"; rm -f "$SRCLIST.new"
[ -s "$SRCLIST" ] || { echo "fetch-imgui: no usable apt mirror found in /etc/apt" >&2; exit 1; }
echo "fetch-imgui: using private sources.list:" >&2; sed 's/^/  /' "$SRCLIST" >&2

APT=(apt-get -q
     -o Dir::Etc::SourceList="$SRCLIST"
     -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$APTDIR/lists"
     -o Dir::Cache="$APTDIR/cache"
     -o APT::Sandbox::User=root)

"${APT[@]}" update >&2
( cd "$APTDIR/dl" && "${APT[@]}" source --download-only "imgui" >&2 )

DSC=$(ls -1 "$APTDIR"/dl/imgui_*.dsc | sort -V | tail -1)
[ -n "$DSC" ] || { echo "fetch-imgui: no imgui .dsc downloaded" >&2; exit 1; }
echo "fetch-imgui: got $DSC" >&2

TMP="$OUT/.unpack.$$"
rm -rf "$TMP"
if command -v dpkg-source >/dev/null; then
  # --skip-patches would leave the upstream tree; apply Debian patches (default)
  dpkg-source --no-check -x "$DSC" "$TMP" >&2
else
  mkdir -p "$TMP"
  tar -xf "$(ls "$APTDIR"/dl/imgui_*.orig.tar.* | head -1)" -C "$TMP" --strip-components=1
fi

if ! check_tree "$TMP"; then
  echo "fetch-imgui: unpacked tree lacks expected files or version != $WANT" >&2
  echo "  (tree version: $(want_ver "$TMP/imgui.h" 2>/dev/null || echo '?'))" >&2
  exit 1
fi
rm -rf "$DEST"
mv "$TMP" "$DEST"
echo "fetch-imgui: imgui $WANT source tree ready" >&2
echo "$DEST"
