#!/usr/bin/env bash
# ThreadLab in the browser. Installs what is missing (Debian's emscripten among it), builds the
# web preset (the page and, beside it, the WebAssembly engine tests), then either
#   bash scripts/web.sh              serves the page on http://127.0.0.1:8080/threadlab.html
#                                    (--port N for another port) until Ctrl-C, or
#   bash scripts/web.sh --out DIR    writes the page's static files to DIR, for any web server
#                                    that sends the two headers threads need (README, "Try it in
#                                    the browser").
set -euo pipefail
cd "$(dirname "$0")/.."
out=""
port=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?web.sh: --out needs a folder}"; shift 2 ;;
    --port) port="${2:?web.sh: --port needs a number}"; shift 2 ;;
    *) echo "web.sh: unknown argument '$1' (use --out DIR, --port N, or nothing)" >&2; exit 2 ;;
  esac
done
case "$port" in
  ''|*[!0-9]*) echo "web.sh: --port must be a number from 1 to 65535, got '$port'" >&2; exit 2 ;;
esac
if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "web.sh: --port must be a number from 1 to 65535, got '$port'" >&2; exit 2
fi
bash scripts/install-deps.sh
cmake --preset web >/dev/null
cmake --build --preset web --target threadlab
page=build/web/src/web
files=(threadlab.html threadlab.js threadlab.wasm threadlab.worker.js threadlab.data)
if [ -n "$out" ]; then
  mkdir -p "$out"
  for file in "${files[@]}"; do cp "$page/$file" "$out/"; done
  cp "$page/headers.js" "$out/"
  echo "web.sh: wrote ${files[*]} headers.js to $out"
  echo "        serve them with 'Cross-Origin-Opener-Policy: same-origin' and"
  echo "        'Cross-Origin-Embedder-Policy: require-corp' (README, \"Try it in the browser\")"
  exit 0
fi
echo "web.sh: open the address below in Chrome, Edge, Firefox or Safari (Ctrl-C stops the server)"
exec python3 scripts/serve-web.py "$port" "$page"
