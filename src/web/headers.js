// ThreadLab's service worker, for static hosts that cannot send HTTP headers of their own.
// Threads in a page need SharedArrayBuffer, which browsers give only to a cross-origin isolated
// page: one served with "Cross-Origin-Opener-Policy: same-origin" and
// "Cross-Origin-Embedder-Policy: require-corp". Where the server cannot add them, this worker,
// registered by threadlab.html, adds them to every response of the page's own origin; the page
// reloads once so that its document comes through the worker too.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;  // only our own files
  event.respondWith(fetch(request).then((response) => {
    const headers = new Headers(response.headers);
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }));
});
