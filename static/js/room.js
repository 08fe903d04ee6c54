// The room display: fetch the workshop's aggregates every few seconds and swap them in, no reload.
const room = document.getElementById('room')
const body = document.getElementById('room-body')

if (room && body) {
  let last = null
  const refresh = async () => {
    try {
      const response = await fetch(room.dataset.src, {
        cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' }
      })
      if (!response.ok || !(response.headers.get('Content-Type') || '').includes('json')) return
      const data = await response.json()
      if (data.html !== last) {
        last = data.html
        const fresh = document.createElement('template')
        fresh.innerHTML = data.html
        body.replaceChildren(fresh.content)
      }
    } catch {
      // Network blip: keep showing the last figures and try again at the next tick.
    }
  }
  setInterval(refresh, Math.max(1, Number(room.dataset.poll) || 3) * 1000)
}
