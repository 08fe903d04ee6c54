// The kiosk's outbox: whole responses waiting on the tablet until the server has them.
//
// Each entry carries its idempotency key, so sending it again after a lost reply is harmless:
// the server answers "already have it" and nothing is stored twice. An entry is removed as soon
// as the server has it. One the server refuses for good (or that keeps failing on the server)
// is set aside, with the server's message, so that it never holds up the answers queued after it;
// the tablet shows how many were set aside until the facilitator clears them.

import { say } from './words.js'

const KEY = 'engage-kiosk-outbox'
const ASIDE = 'engage-kiosk-set-aside'
// A server error on one entry may be passing; after this many in a row, that entry is set aside.
const MAX_FAILURES = 3
// Hospital Wi-Fi can stay "connected" while nothing comes back: a request without a reply by then
// is given up (the answers stay queued; the idempotency key makes a late arrival harmless).
const SEND_MS = 10000

// A signal that aborts a fetch after ``ms`` (no limit where the browser cannot do this).
export function within (ms) {
  return window.AbortSignal && AbortSignal.timeout ? AbortSignal.timeout(ms) : undefined
}

function read (key) {
  try {
    const list = JSON.parse(window.localStorage.getItem(key) || '[]')
    return Array.isArray(list) ? list : []
  } catch {
    return []
  }
}

function write (key, list) {
  if (list.length) window.localStorage.setItem(key, JSON.stringify(list))
  else window.localStorage.removeItem(key)
}

export function entries () {
  return read(KEY)
}

function save (list) {
  write(KEY, list)
}

export function add (entry) {
  const list = entries().filter(e => e.idempotency_key !== entry.idempotency_key)
  list.push(entry)
  save(list)
}

export function remove (key) {
  save(entries().filter(e => e.idempotency_key !== key))
}

// Entries the server would not take: [{idempotency_key, message, at}] (answers are not kept).
export function setAside () {
  return read(ASIDE)
}

export function clearSetAside () {
  write(ASIDE, [])
}

function putAside (entry, message) {
  remove(entry.idempotency_key)
  const aside = setAside().filter(e => e.idempotency_key !== entry.idempotency_key)
  aside.push({ idempotency_key: entry.idempotency_key, message, at: new Date().toISOString() })
  write(ASIDE, aside.slice(-50))
}

function countFailure (entry) {
  const list = entries()
  const stored = list.find(e => e.idempotency_key === entry.idempotency_key)
  if (!stored) return 0
  stored.failures = (stored.failures || 0) + 1
  save(list)
  return stored.failures
}

// POST one response to the table it was given at. Resolves to
// {state: 'sent' | 'refused' | 'invalid' | 'failed' | 'retry', body}.
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
        idempotency_key: entry.idempotency_key,
        reference: entry.reference,
        reference_signature: entry.reference_signature,
        answers: entry.answers,
        lenient
      }),
      credentials: 'omit',
      cache: 'no-store',
      signal: within(SEND_MS)
    })
  } catch {
    return { state: 'retry', body: null }
  }
  let body = null
  try { body = await response.json() } catch { body = null }
  if (response.status === 200 || response.status === 201) {
    // Only the server's own answer says it has them: a Wi-Fi sign-in page that answers in its
    // place (200, or a redirect to one), or a reply cut off part way, leaves them queued.
    const known = body && ['stored', 'duplicate', 'withdrawn'].includes(body.status)
    return known ? { state: 'sent', body } : { state: 'retry', body: null }
  }
  if (response.status === 422) return { state: 'invalid', body }
  // Busy, rate-limited or unreachable behind a proxy: the same for every entry, so try later.
  if ([408, 429, 502, 503, 504].includes(response.status)) return { state: 'retry', body }
  if (response.status >= 500) return { state: 'failed', body }
  return { state: 'refused', body }
}

let flushing = null

// Send every queued entry (lenient: its person has gone, so a page in error is left out, never
// the whole response). An entry refused for good is set aside and the rest are still sent.
// Returns the messages of the entries set aside this time. ``busy`` is the key of the response
// whose person is sending it now: it is theirs to correct, so it is not sent leniently beside it.
export function flush (busy = null) {
  if (flushing) return flushing
  flushing = (async () => {
    const refused = []
    for (const entry of entries()) {
      if (entry.idempotency_key === busy) continue
      const result = await send(entry, true)
      if (result.state === 'retry') break
      if (result.state === 'sent') {
        remove(entry.idempotency_key)
        continue
      }
      if (result.state === 'failed' && countFailure(entry) < MAX_FAILURES) continue
      const message = (result.body && result.body.message) || say('refused', 'The server would not take these answers.')
      putAside(entry, message)
      refused.push(message)
    }
    return refused
  })().finally(() => { flushing = null })
  return flushing
}
