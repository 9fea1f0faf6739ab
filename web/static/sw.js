// The scanner's service worker (served at /scan-sw.js, scope /scan): /scan reloads with no
// network. The page, its assets, the published keys and the last signed block list are kept
// in a cache; each is fetched from the network first and the cached copy answers only when
// the network fails. The list is signed and says when it was made, so a stale copy fails
// closed in offline.js (docs/code-format.md §7). Nothing signed-in is ever cached.
'use strict';
const cache_name = 'coldtrace-scan-v1';
const kept_api = ['/api/v1/keys', '/.well-known/jwks.json', '/api/v1/blocked'];

const keeps = (url) =>
  url.origin === self.location.origin &&
  (url.pathname === '/scan' || url.pathname.startsWith('/assets/') || kept_api.includes(url.pathname));

// The page and what it loads, read from the page itself, so no list here goes stale.
async function precache() {
  const cache = await caches.open(cache_name);
  const page = await fetch('/scan', { cache: 'no-store' });
  if (!page.ok) return;
  const html = await page.clone().text();
  await cache.put('/scan', page);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  await Promise.all([...new Set([...assets, ...kept_api])].map(async (path) => {
    try {
      const res = await fetch(path, { cache: 'no-store' });
      if (res.ok) await cache.put(path, res);
    } catch (e) {
      /* kept at the next visit */
    }
  }));
}

self.addEventListener('install', (ev) => {
  ev.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== cache_name).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || !keeps(url) || req.headers.has('Authorization')) return;
  ev.respondWith((async () => {
    const cache = await caches.open(cache_name);
    try {
      const res = await fetch(req);
      if (res.ok) await cache.put(req, res.clone());
      return res;
    } catch (e) {
      // The page varies by Accept-Language; offline, the copy kept is better than nothing.
      const kept = (await cache.match(req, { ignoreVary: true })) ||
        (await cache.match(req, { ignoreVary: true, ignoreSearch: true }));
      if (kept) return kept;
      throw e;
    }
  })());
});
