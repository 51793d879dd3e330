#!/usr/bin/env python3
"""serve-web.py [--without-headers] PORT DIR: serves ThreadLab's web build from DIR on
127.0.0.1:PORT with the two headers that give a page threads (SharedArrayBuffer):
Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, and .wasm as
application/wasm. PORT 0 picks a free port; the first line printed is the address.
--without-headers leaves the two headers out, as a static host that cannot set headers does: the
page then gets them from its service worker (headers.js), after one reload."""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".data": "application/octet-stream",
        ".html": "text/html; charset=utf-8",
    }

    isolation_headers = True

    def end_headers(self):
        if self.isolation_headers:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        pass  # quiet: the address line is what matters


def main():
    args = sys.argv[1:]
    if args[:1] == ["--without-headers"]:
        Handler.isolation_headers = False
        args = args[1:]
    if len(args) != 2 or not args[0].isdigit():
        sys.exit("usage: serve-web.py [--without-headers] PORT DIR")
    handler = functools.partial(Handler, directory=args[1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(args[0])), handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/threadlab.html", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
