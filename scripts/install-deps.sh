#!/usr/bin/env bash
# Installs the Debian 12 packages ThreadLab needs, only those missing. Uses sudo when not root.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config          # toolchain
  libimgui-dev libglfw3-dev python3-glad    # window: Dear ImGui 1.86, GLFW, the glad 2 generator
  libcli11-dev                              # command line
  nlohmann-json3-dev                        # scenario files, summaries, traces
  catch2                                    # tests
  fonts-dejavu-core                         # the UI font (falls back to Dear ImGui's own if absent)
  xvfb xauth libgl1-mesa-dri imagemagick    # a virtual screen, Mesa's software OpenGL, PNG checks
  xdotool                                   # drives the window in the smoke tests
  clang libclang-rt-14-dev                  # libFuzzer for the scenario parser's fuzz target
  emscripten dpkg-dev                       # the web build (dpkg-dev unpacks Dear ImGui's sources)
  chromium                                  # the browser test of the web build
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install as root: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
