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
as_root() {  # command...: runs it as root (sudo when not root)
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "install-deps: not root and no sudo; as root, run: $*" >&2
    return 1
  fi
}
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Dear ImGui's sources for the web build (libimgui-dev has only an x86 library): fetched once per
# machine, like the packages, into /var/cache/threadlab; silent when they are there.
if ! log=$(as_root bash "$(dirname "$0")/fetch-imgui.sh" /var/cache/threadlab 2>&1 >/dev/null); then
  echo "$log" >&2
  echo "install-deps: could not fetch Dear ImGui's sources (scripts/fetch-imgui.sh)" >&2
  exit 1
fi
