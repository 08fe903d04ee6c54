// The kiosk's outbox: whole responses waiting on the tablet until the server has them.
//
// Each entry carries its idempotency key, so sending it again after a lost reply is harmless:
// the server answers "already have it" and nothing is stored twice. Only unsent entries are ever
// kept on the tablet; an entry is removed as soon as the server has it (or refuses it for good).

const KEY = 'engage-kiosk-outbox'

export function entries () {
  try {
    const list = JSON.parse(window.localStorage.getItem(KEY) || '[]')
    return Array.isArray(list) ? list : []
  } catch {
    return []
  }
}

function save (list) {
  if (list.length) window.localStorage.setItem(KEY, JSON.stringify(list))
  else window.localStorage.removeItem(KEY)
}

export function add (entry) {
  const list = entries().filter(e => e.idempotency_key !== entry.idempotency_key)
  list.push(entry)
  save(list)
}

export function remove (key) {
  save(entries().filter(e => e.idempotency_key !== key))
}

// POST one response to the table it was given at. Resolves to
// {state: 'sent' | 'refused' | 'invalid' | 'retry', body}.
export async function send (entry, lenient = false) {
  // Known offline: keep it queued without trying (a request that falls through the service
  // worker can still leave, and its reply be lost, when the network is going).
  if (!navigator.onLine) return { state: 'retry', body: null }
  let response
  try {
    response = await fetch(entry.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Kiosk-Token': entry.token },
      body: JSON.stringify({
        idempotency_key: entry.idempotency_key, reference: entry.reference, answers: entry.answers, lenient
      }),
      credentials: 'omit',
      cache: 'no-store'
    })
  } catch {
    return { state: 'retry', body: null }
  }
  let body = null
  try { body = await response.json() } catch { body = null }
  if (response.status === 200 || response.status === 201) return { state: 'sent', body }
  if (response.status === 422) return { state: 'invalid', body }
  if ([400, 403, 404, 410, 413].includes(response.status)) return { state: 'refused', body }
  return { state: 'retry', body }
}

let flushing = null

// Send every queued entry (lenient: its person has gone, so a page in error is left out, never
// the whole response). Returns the messages of entries refused for good.
export function flush () {
  if (flushing) return flushing
  flushing = (async () => {
    const refused = []
    for (const entry of entries()) {
      const result = await send(entry, true)
      if (result.state === 'retry') break
      remove(entry.idempotency_key)
      if (result.state !== 'sent') {
        refused.push((result.body && result.body.message) || 'Some answers could not be saved.')
      }
    }
    return refused
  })().finally(() => { flushing = null })
  return flushing
}
