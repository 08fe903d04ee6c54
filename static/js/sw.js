// The kiosk's service worker: keeps the kiosk page and its assets so a tablet that loses the
// network can still reload and carry on. It never touches answers: POSTs go straight to the
// network, and only the (answer-free) kiosk page and static files are cached.
const CACHE = 'engage-kiosk-v1'
const NAVIGATE_MS = 5000

self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()))

function keep (request, response) {
  if (response.ok && response.type === 'basic') {
    const copy = response.clone()
    caches.open(CACHE).then(cache => cache.put(request, copy))
  }
  return response
}

self.addEventListener('fetch', event => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (request.mode === 'navigate' && url.pathname.startsWith('/workshop/k/')) {
    // The network first (a closed workshop must say so); the kept copy when offline, when Wi-Fi
    // that is "connected" carries nothing back in time, or when a proxy answers that it cannot
    // reach the server.
    // Kept by language: a person's own switch must not replace the tablet's copy in its language.
    const lang = url.searchParams.get('lang')
    const key = url.origin + url.pathname + (lang ? `?lang=${encodeURIComponent(lang)}` : '')
    event.respondWith(caches.match(key).then(kept => {
      const fresh = fetch(request).then(response => keep(key, response))
      if (!kept) return fresh
      const late = new Promise(resolve => setTimeout(() => resolve(kept), NAVIGATE_MS))
      return Promise.race([fresh.then(r => (r.status >= 500 ? kept : r), () => kept), late])
    }))
    return
  }
  if (url.pathname.startsWith('/static/') || url.pathname.startsWith('/assets/')) {
    // The kept copy at once, refreshed in the background.
    event.respondWith(caches.match(request).then(hit => {
      const fresh = fetch(request).then(response => keep(request, response))
      if (hit) {
        fresh.catch(() => null)
        return hit
      }
      return fresh
    }))
  }
})
