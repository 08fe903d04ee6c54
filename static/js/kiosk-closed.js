// A kiosk whose workshop has closed: answers still waiting on the tablet (queued offline, then the
// tablet was reloaded or restarted) are sent from here, as the server takes them for a while after
// closing. Once none wait, the tablet no longer returns to this kiosk from the join page.
import * as outbox from './kiosk-outbox.js'
import { wordsFrom } from './kiosk.js'

const MARKER = 'engage-kiosk'
const root = document.getElementById('kiosk-closed')
if (root) closed(root)

function closed (root) {
  const say = wordsFrom(root)
  const indicator = document.getElementById('kiosk-outbox')
  const hadAny = outbox.entries().length > 0

  function show (lines) {
    indicator.textContent = lines.join(' ')
    indicator.classList.toggle('kiosk-outbox--waiting', lines.length > 0)
  }

  async function send () {
    if (outbox.entries().length) await outbox.flush()
    const lines = []
    const n = outbox.entries().length
    if (n) {
      lines.push(say('waiting', 'Answers from {count} people are saved on this tablet.', { count: n }))
    } else if (hadAny) {
      lines.push(say('allSent', 'All the answers that were waiting on this tablet have been sent.'))
    }
    const aside = outbox.setAside()
    if (aside.length) {
      const reasons = [...new Set(aside.map(e => e.message))].join(' ')
      lines.push(say('setAside', 'Answers from {count} people could not be saved: {reasons}',
        { count: aside.length, reasons }))
    }
    show(lines)
    if (n) {
      setTimeout(send, 5000)
      return
    }
    let marker = null
    try { marker = JSON.parse(window.localStorage.getItem(MARKER) || 'null') } catch { marker = null }
    if (marker && marker.href === window.location.pathname) window.localStorage.removeItem(MARKER)
  }

  window.addEventListener('online', send)
  send()
}
