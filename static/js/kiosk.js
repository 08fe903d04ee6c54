// The workshop kiosk: one person after another on a shared tablet, online or offline.
//
// Pages come from <template>s in the kiosk page (rendered by the server with the same question
// templates as the online journey). The current person's answers live only in this script's
// memory; on Send the whole response goes into the tablet's outbox and to the server. After each
// person, and after inactivity, everything is cleared and the page is loaded afresh.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'
import { nhsukOptions } from './nhsuk-options.js'
import { initTradeoffs } from './tradeoff.js'
import { initAllocations } from './allocate.js'
import { takeOverRadioReveals } from './reveal.js'
import { followErrorLinks } from './linked-field.js'
import * as outbox from './kiosk-outbox.js'

// A page's answers are checked on the server while the person waits, if it replies by then;
// if not (Wi-Fi that is "connected" but carries nothing), they go on and it is checked on Send.
const CHECK_MS = 4000

const MARKER = 'engage-kiosk'
const SWITCHED = 'engage-kiosk-switched'
// Reference codes come from the server, signed, a few dozen with each kiosk page, so that a person
// whose answers wait offline still leaves with the code that can take them back. The tablet keeps
// ONE stock of them per table, whichever copy of the page brought them: the page may be reloaded
// offline from the service worker's copy, and a language switch opens another copy, so codes are
// taken out of the stock once (never counted per copy, which gave a code to two people).
const STOCK = 'engage-kiosk-references'
const KEEP_CODES = 90 // three pages' worth: enough for a morning offline
const KEEP_POOLS = 50

const root = document.getElementById('kiosk')
if (root) {
  followErrorLinks()
  kiosk(root)
}

function uuid () {
  if (window.crypto.randomUUID) return window.crypto.randomUUID()
  const b = window.crypto.getRandomValues(new Uint8Array(16))
  return Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
}

function readStock (key) {
  try {
    const stock = JSON.parse(window.localStorage.getItem(key) || 'null')
    if (stock && Array.isArray(stock.codes) && Array.isArray(stock.pools)) return stock
  } catch { // not a stock: begin a new one
  }
  return { codes: [], pools: [] }
}

// This copy's codes join the table's stock the first time the copy is loaded, never again.
function stockUp (key, pool) {
  const stock = readStock(key)
  if (!pool.id || stock.pools.includes(pool.id)) return
  stock.pools = [...stock.pools, pool.id].slice(-KEEP_POOLS)
  stock.codes = [...stock.codes, ...pool.codes].slice(-KEEP_CODES)
  window.localStorage.setItem(key, JSON.stringify(stock))
}

function takeReference (key) {
  const stock = readStock(key)
  const fresh = stock.codes.shift()
  if (!fresh) return { code: null, sig: null } // none left offline: the server makes one
  window.localStorage.setItem(key, JSON.stringify(stock))
  return fresh
}

// The words the script writes, from the page (data-messages) in the page's language, with
// English if the page has none; {name} is filled in, and a count picks its plural form.
export function wordsFrom (root) {
  let given = {}
  try { given = JSON.parse(root.dataset.messages || '{}') || {} } catch { given = {} }
  const rules = new Intl.PluralRules(root.dataset.lang || 'en')
  return (key, fallback, values = {}) => {
    let text = given[key] || fallback
    if (typeof text === 'object') {
      text = text[rules.select(values.count)] || text.other || fallback
      text = text.replace('%{count}', values.count)
    }
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole))
  }
}

function kiosk (root) {
  const say = wordsFrom(root)
  const base = root.dataset.base
  // The tablet sends no cookie to the server: a language other than English goes in the address,
  // so the server's messages (a problem with an answer, a wrong PIN) come back in that language.
  const lang = root.dataset.lang || 'en'
  const inLanguage = lang === 'en' ? '' : `?lang=${encodeURIComponent(lang)}`
  const token = root.dataset.token
  const stock = `${STOCK}:${base}`
  stockUp(stock, JSON.parse(root.dataset.references || '{"codes": []}'))
  window.localStorage.removeItem(STOCK) // the count kept per copy before there was one stock
  const idleMs = Number(root.dataset.idle) * 1000
  const warnSeconds = Number(root.dataset.warning)
  const referenceMs = Number(root.dataset.referenceSeconds) * 1000
  const screen = document.getElementById('kiosk-screen')
  const serviceTitle = document.title
  const indicator = document.getElementById('kiosk-outbox')
  const idleDialog = document.getElementById('kiosk-idle')
  const exitDialog = document.getElementById('kiosk-exit')
  const pages = [...root.querySelectorAll('template.kiosk-template')].map(t => ({
    key: t.dataset.key, kind: t.dataset.kind, showIf: JSON.parse(t.dataset.showIf || 'null'), template: t
  }))

  let answers = {} // field name -> value or list of values; only ever in memory
  let current = null // the page shown, or null on the other screens
  let changing = false // a page opened from the check screen goes back to it
  let started = false
  let idleTimer = null
  let countdown = null
  let referenceTimer = null
  let problems = []
  let sending = null // the key of the response being sent while its person waits
  // One idempotency key (and one reference code) per person, kept for every time their answers
  // are sent: a send again after a reply that said "not saved" but was saved stores nothing twice.
  let personKey = uuid()
  let personReference = null

  // The tablet's own language is the one it was set up in (a Welsh workshop's tablets stay Welsh
  // for everyone). A person may switch for their own answers: the switch marks this tab, so the
  // page it opens keeps the tablet's language as it was; every reset returns to it.
  let setUp = null
  try { setUp = JSON.parse(window.localStorage.getItem(MARKER) || 'null') } catch { setUp = null }
  const switched = window.sessionStorage.getItem(SWITCHED) === '1' && setUp &&
    setUp.href === window.location.pathname && typeof setUp.lang === 'string'
  const home = switched ? setUp.lang : lang
  const homeAddress = `${window.location.pathname}?lang=${encodeURIComponent(home)}`
  window.localStorage.setItem(MARKER, JSON.stringify({ href: window.location.pathname, lang: home }))

  // --- screens -----------------------------------------------------------------------------
  function show (fragment, focus = 'h1') {
    screen.replaceChildren(fragment)
    takeOverRadioReveals(screen)
    initAll({ ...nhsukOptions, scope: screen })
    initTradeoffs(screen)
    initAllocations(screen)
    window.scrollTo(0, 0)
    const errors = screen.querySelector('.nhsuk-error-summary')
    // Each screen is named in the title, as each page of the online journey is, so a screen
    // reader says where the person is and that something needs fixing (WCAG 2.4.2).
    const heading = textOf(screen.querySelector('h1'))
    const named = heading && !serviceTitle.startsWith(heading + ' – ') ? `${heading} – ${serviceTitle}` : serviceTitle
    document.title = errors ? `${say('error', 'Error:')} ${named}` : named
    const target = errors || screen.querySelector(focus)
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
      target.focus()
    }
  }

  function clone (id) {
    return document.getElementById(id).content.cloneNode(true)
  }

  function visible (page) {
    if (!page.showIf) return true
    const given = [].concat(answers['q-' + page.showIf.question] ?? []).filter(v => v !== '')
    return given.some(v => page.showIf.in.map(String).includes(String(v)))
  }

  // The welcome screen is where a person begins: whoever presses Start from here is someone new,
  // so nothing of the person before them (who may have gone Back to it and left) is kept.
  function welcome () {
    forgetPerson()
    show(clone('kiosk-welcome'))
  }

  function forgetPerson () {
    answers = {}
    personKey = uuid()
    personReference = null
    current = null
    changing = false
    started = false
    clearTimeout(idleTimer)
  }

  function showPage (page, html = null) {
    current = page
    let fragment
    if (html === null) {
      fragment = page.template.content.cloneNode(true)
      restore(fragment)
    } else {
      const t = document.createElement('template')
      t.innerHTML = html
      fragment = t.content
    }
    const shown = pages.filter(visible)
    const progress = fragment.querySelector('[data-kiosk-progress]')
    if (progress) {
      progress.textContent = say('page', 'Page {page} of {pages}',
        { page: shown.indexOf(page) + 1, pages: shown.length })
    }
    show(fragment)
  }

  // --- check your answers ------------------------------------------------------------------
  function textOf (el) {
    return el ? el.textContent.replace(/\s+/g, ' ').trim() : ''
  }

  // What the person chose, read off the page's own controls as they were filled in: the labels
  // of ticked options, typed text, and "label: value" where a question has several boxes.
  function answerText (fragment, question) {
    const controls = [...question.querySelectorAll('input, textarea, select')]
      .filter(c => c.name && c.type !== 'hidden' && c.type !== 'range')
    const single = new Set(controls.map(c => c.name)).size === 1
    const optional = say('optional', '(optional)')
    const labelOf = c => {
      const label = textOf(fragment.querySelector(`label[for="${CSS.escape(c.id)}"]`))
      return label.endsWith(optional) ? label.slice(0, -optional.length).trim() : label
    }
    const lines = []
    const done = new Set()
    for (const c of controls) {
      if (done.has(c.name)) continue
      done.add(c.name)
      if (c.type === 'radio' || c.type === 'checkbox') {
        const chosen = controls.filter(o => o.name === c.name && o.checked).map(labelOf)
        if (chosen.length) lines.push(chosen.join(', '))
      } else {
        const value = c.tagName === 'SELECT' ? (c.value ? textOf(c.selectedOptions[0]) : '') : c.value.trim()
        if (value) lines.push(single ? value : `${labelOf(c)}: ${value}`)
      }
    }
    return lines.length ? lines.join('\n') : say('notAnswered', 'Not answered')
  }

  function checkSections () {
    const out = document.createDocumentFragment()
    for (const page of pages.filter(p => p.kind === 'questions' && visible(p))) {
      const fragment = page.template.content.cloneNode(true)
      restore(fragment)
      const section = clone('kiosk-check-section')
      section.querySelector('[data-kiosk-section-title]').textContent = textOf(fragment.querySelector('h1'))
      const list = section.querySelector('.nhsuk-summary-list')
      const prototype = list.querySelector('.nhsuk-summary-list__row')
      prototype.remove()
      for (const question of fragment.querySelectorAll('.engage-question')) {
        const prompt = textOf(question.querySelector('.nhsuk-fieldset__legend, .nhsuk-label'))
        const row = prototype.cloneNode(true)
        row.querySelector('.nhsuk-summary-list__key').textContent = prompt
        row.querySelector('.nhsuk-summary-list__value').textContent = answerText(fragment, question)
        const change = row.querySelector('.nhsuk-summary-list__actions a')
        change.querySelector('.nhsuk-u-visually-hidden').textContent = ` ${prompt}`
        change.dataset.kioskChange = page.key
        list.append(row)
      }
      out.append(section)
    }
    return out
  }

  function sendScreen () {
    current = null
    changing = false
    const fragment = clone('kiosk-send')
    fragment.querySelector('[data-kiosk-check]').append(checkSections())
    show(fragment)
  }

  function thanks (reference) {
    current = null
    answers = {}
    const fragment = clone('kiosk-thanks')
    if (reference) {
      fragment.querySelector('[data-kiosk-reference-code]').textContent = reference
      fragment.querySelector('[data-kiosk-reference]').hidden = false
      // The code can take these answers back: it must not wait on the screen for whoever picks
      // the tablet up next (the screen says so, and the person can stop this clock).
      referenceTimer = setTimeout(hideReference, referenceMs)
    }
    // With a code, the page stays at its top: focus on "Please pass the tablet on", below the
    // code, scrolled the code off a small screen and had a screen reader start after it.
    show(fragment, reference ? 'h1' : '[data-kiosk-focus]')
  }

  // The code leaves the page, not only the view; a screen reader hears that it has gone, and
  // focus that was on its buttons moves on to what to do next.
  function hideReference () {
    clearTimeout(referenceTimer)
    const shown = screen.querySelector('[data-kiosk-reference]')
    if (!shown) return
    const hadFocus = shown.contains(document.activeElement)
    shown.remove()
    screen.querySelector('[data-kiosk-reference-status]').textContent =
      say('referenceHidden', 'Your reference code has been hidden.')
    if (hadFocus) screen.querySelector('[data-kiosk-focus]').focus()
  }

  // "I need more time": the clock stops (WCAG 2.2.1); the code goes when they say they have
  // noted it, or when the tablet resets after the usual warning.
  function keepReference () {
    clearTimeout(referenceTimer)
    screen.querySelector('[data-kiosk-reference-timing]').textContent =
      say('referenceKept', 'Your reference code will stay on the screen until you press “I have noted my code”.')
    screen.querySelector('[data-kiosk-more-time]').remove()
    screen.querySelector('[data-kiosk-hide-reference]').focus()
  }

  // --- answers in memory -------------------------------------------------------------------
  function fieldsOf (form) {
    return [...new Set([...form.elements].map(e => e.name).filter(Boolean))]
  }

  function collect (form) {
    const data = new FormData(form)
    for (const name of fieldsOf(form)) {
      const values = data.getAll(name).map(String)
      const multiple = form.querySelector(`input[type=checkbox][name="${name}"]`)
      answers[name] = multiple ? values : (values[0] ?? '')
    }
  }

  function restore (fragment) {
    for (const el of fragment.querySelectorAll('input, textarea, select')) {
      if (!(el.name in answers)) continue
      const given = [].concat(answers[el.name]).map(String)
      if (el.type === 'radio' || el.type === 'checkbox') el.checked = given.includes(el.value)
      else el.value = given[0] ?? ''
    }
  }

  function pageAnswers (form) {
    return Object.fromEntries(fieldsOf(form).map(name => [name, answers[name]]))
  }

  // --- moving through the journey ----------------------------------------------------------
  async function next (form) {
    collect(form)
    const page = current
    if (navigator.onLine) {
      try {
        const response = await fetch(`${base}/check/${encodeURIComponent(page.key)}${inLanguage}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Kiosk-Token': token },
          body: JSON.stringify({ answers: pageAnswers(form) }),
          credentials: 'omit',
          cache: 'no-store',
          signal: outbox.within(CHECK_MS)
        })
        if (current !== page) return // they pressed again, or went back, while it was checked
        if (response.status === 422) {
          showPage(page, (await response.json()).html)
          return
        }
      } catch {
        // Offline, or no reply in time: the page is checked when the response is sent.
      }
      if (current !== page) return
    }
    const later = pages.slice(pages.indexOf(page) + 1).find(visible)
    if (later && !changing) showPage(later)
    else sendScreen()
  }

  function back () {
    const form = screen.querySelector('form.kiosk-form')
    if (form) collect(form)
    const before = current ? pages.slice(0, pages.indexOf(current)) : pages
    const previous = before.reverse().find(visible)
    if (previous) showPage(previous)
    else welcome()
  }

  // While the answers are on their way (slow Wi-Fi), the screen says so and nothing on it can be
  // pressed: an answer changed now would not be in what is being sent.
  function sendingState (on) {
    sending = on ? personKey : null
    for (const button of screen.querySelectorAll('button')) button.disabled = on
    for (const link of screen.querySelectorAll('[data-kiosk-change]')) {
      if (on) {
        link.setAttribute('aria-disabled', 'true')
        link.removeAttribute('href')
      } else {
        link.removeAttribute('aria-disabled')
        link.setAttribute('href', '#')
      }
    }
    const status = screen.querySelector('[data-kiosk-sending]')
    if (status) status.textContent = on ? say('sending', 'Sending your answers. Please wait.') : ''
  }

  async function send () {
    if (sending) return
    if (!personReference) personReference = takeReference(stock)
    const entry = {
      idempotency_key: personKey, reference: personReference.code, reference_signature: personReference.sig,
      answers, url: `${base}/responses${inLanguage}`, token
    }
    sendingState(true)
    screen.querySelector('[data-kiosk-send-problem]').textContent = ''
    outbox.add(entry) // on the tablet first: nothing is lost if the network fails now
    let result = await outbox.send(entry)
    // Someone else was given this code (by a copy of the kiosk from before there was one stock):
    // this person is still here, so they get another before any code is shown.
    while (result.state === 'refused' && result.body && result.body.status === 'reference-taken') {
      personReference = takeReference(stock)
      entry.reference = personReference.code
      entry.reference_signature = personReference.sig
      outbox.add(entry)
      result = await outbox.send(entry)
    }
    sendingState(false)
    if (result.state === 'retry') {
      updateIndicator()
      thanks(entry.reference)
      return
    }
    outbox.remove(entry.idempotency_key)
    updateIndicator()
    if (result.state === 'sent') {
      thanks(result.body && result.body.reference)
    } else if (result.state === 'invalid' && result.body && result.body.page) {
      showPage(pages.find(p => p.key === result.body.page), result.body.html)
    } else {
      const problem = screen.querySelector('[data-kiosk-send-problem]')
      problem.textContent = (result.body && result.body.message) || say('notSaved', 'Your answers could not be saved.')
      problem.setAttribute('role', 'alert')
    }
  }

  // Everything of the last person goes: memory, screen, dialogs, session storage; then the page
  // is loaded afresh (from the network, or the service worker's copy when offline).
  function reset () {
    answers = {}
    current = null
    changing = false
    started = false
    clearTimeout(idleTimer)
    clearTimeout(referenceTimer)
    clearInterval(countdown)
    for (const dialog of [idleDialog, exitDialog]) if (dialog.open) dialog.close()
    screen.replaceChildren()
    window.sessionStorage.clear()
    if (navigator.onLine || (navigator.serviceWorker && navigator.serviceWorker.controller)) {
      window.location.replace(homeAddress)
    } else {
      welcome()
    }
  }

  // --- inactivity --------------------------------------------------------------------------
  function arm () {
    clearTimeout(idleTimer)
    if (started) idleTimer = setTimeout(warn, idleMs)
  }

  function warn () {
    let left = warnSeconds
    const count = document.getElementById('kiosk-idle-count')
    count.textContent = left
    idleDialog.showModal()
    document.getElementById('kiosk-idle-continue').focus()
    countdown = setInterval(() => {
      left -= 1
      count.textContent = Math.max(left, 0)
      if (left <= 0) reset()
    }, 1000)
  }

  function keepGoing () {
    clearInterval(countdown)
    if (idleDialog.open) idleDialog.close()
    arm()
  }

  for (const type of ['pointerdown', 'keydown', 'input', 'touchstart']) {
    document.addEventListener(type, () => {
      holdHistory()
      if (!idleDialog.open) arm()
    }, { capture: true, passive: true })
  }
  document.getElementById('kiosk-idle-continue').addEventListener('click', keepGoing)
  idleDialog.addEventListener('cancel', event => { event.preventDefault(); keepGoing() })

  // --- the outbox --------------------------------------------------------------------------
  function updateIndicator () {
    const n = outbox.entries().length
    const lines = []
    if (n) {
      lines.push(say('waiting', `Answers from ${n === 1 ? '1 person are' : n + ' people are'} saved on this tablet. ` +
        'They will be sent when the connection returns.', { count: n }))
    }
    const aside = outbox.setAside()
    if (aside.length) {
      const reasons = [...new Set(aside.map(e => e.message))].join(' ')
      lines.push(say('setAside', `Answers from ${aside.length === 1 ? '1 person' : aside.length + ' people'} could not be ` +
        `saved: ${reasons} Please tell the facilitator.`, { count: aside.length, reasons }))
    }
    lines.push(...problems.filter(p => !aside.some(e => e.message === p)))
    indicator.textContent = lines.join(' ')
    indicator.classList.toggle('kiosk-outbox--waiting', lines.length > 0)
  }

  async function flush () {
    if (!outbox.entries().length) return
    const refused = await outbox.flush(sending)
    if (refused.length) problems = [...new Set(refused)]
    updateIndicator()
  }

  window.addEventListener('online', flush)
  window.addEventListener('offline', updateIndicator)
  setInterval(flush, 5000)

  // --- the browser's own Back (or Android's back gesture) ----------------------------------
  // The kiosk keeps a history entry of its own above its page, so that Back comes back here and
  // acts as the kiosk's Back: it never leaves the kiosk (for a facilitator's signed-in pages,
  // past the PIN). Put back after each use, and on each touch (Chrome passes over an entry added
  // before the person has touched the page).
  function holdHistory () {
    if (!(window.history.state && window.history.state.kiosk)) window.history.pushState({ kiosk: true }, '')
  }

  window.addEventListener('popstate', () => {
    holdHistory()
    if (sending || idleDialog.open || exitDialog.open) return
    if (current || screen.querySelector('[data-kiosk-send]')) {
      arm()
      back()
    }
  })

  // --- leaving kiosk mode ------------------------------------------------------------------
  function pinField (error) {
    const holder = document.getElementById('kiosk-pin-field')
    holder.replaceChildren(clone(error ? 'kiosk-pin-error' : 'kiosk-pin-ok'))
    if (error) holder.querySelector('[data-kiosk-pin-message]').textContent = error
    holder.querySelector('input').focus()
  }

  document.getElementById('kiosk-exit-open').addEventListener('click', () => {
    exitDialog.showModal()
    pinField(null)
  })
  document.getElementById('kiosk-exit-cancel').addEventListener('click', () => exitDialog.close())
  document.getElementById('kiosk-exit-form').addEventListener('submit', async event => {
    event.preventDefault()
    const pin = document.getElementById('kiosk-pin').value
    await flush()
    if (outbox.entries().length) {
      pinField(say('stillWaiting', 'Answers are still waiting on this tablet. Connect to the network, ' +
        'wait for them to be sent, then try again'))
      return
    }
    let response
    try {
      response = await fetch(`${base}/exit${inLanguage}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Kiosk-Token': token },
        body: JSON.stringify({ pin }),
        credentials: 'omit',
        cache: 'no-store',
        signal: outbox.within(CHECK_MS)
      })
    } catch {
      pinField(say('connect', 'Connect to the network to leave kiosk mode'))
      return
    }
    const body = await response.json().catch(() => ({}))
    if (!response.ok) {
      pinField(body.message || say('wrongPin', 'That PIN is not right'))
      return
    }
    window.localStorage.removeItem(MARKER)
    window.sessionStorage.clear()
    if (navigator.serviceWorker) {
      for (const registration of await navigator.serviceWorker.getRegistrations()) {
        await registration.unregister()
      }
    }
    if (window.caches) for (const name of await window.caches.keys()) await window.caches.delete(name)
    outbox.clearSetAside() // the facilitator has seen what could not be saved
    window.location.replace(body.href)
  })

  // --- buttons and forms on the screens ----------------------------------------------------
  screen.addEventListener('click', event => {
    const target = event.target.closest('button, a')
    if (!target) return
    if (sending) {
      event.preventDefault()
      return
    }
    if (target.matches('.engage-language__link')) {
      // The link opens the kiosk in the person's language; the tablet's own stays as it was.
      window.sessionStorage.setItem(SWITCHED, '1')
    } else if (target.hasAttribute('data-kiosk-back')) {
      event.preventDefault()
      back()
    } else if (target.hasAttribute('data-kiosk-start')) {
      forgetPerson()
      started = true
      arm()
      const first = pages.find(visible)
      if (first) showPage(first)
      else sendScreen()
    } else if (target.hasAttribute('data-kiosk-change')) {
      event.preventDefault()
      changing = true
      showPage(pages.find(p => p.key === target.dataset.kioskChange))
    } else if (target.hasAttribute('data-kiosk-send')) {
      send()
    } else if (target.hasAttribute('data-kiosk-next')) {
      reset()
    } else if (target.hasAttribute('data-kiosk-hide-reference')) {
      hideReference()
    } else if (target.hasAttribute('data-kiosk-more-time')) {
      keepReference()
    }
  })
  screen.addEventListener('submit', event => {
    if (!event.target.matches('form.kiosk-form')) return
    event.preventDefault()
    next(event.target)
  })

  // --- offline reloads ---------------------------------------------------------------------
  async function keepForOffline () {
    if (!('serviceWorker' in navigator) || !window.caches) return
    try {
      await navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope })
      const cache = await window.caches.open('engage-kiosk-v1')
      await cache.addAll([homeAddress, ...JSON.parse(root.dataset.assets)])
      root.dataset.offline = 'ready'
    } catch {
      // No offline reloads on this device; the kiosk itself still works offline.
    }
  }

  holdHistory()
  welcome()
  updateIndicator()
  flush()
  keepForOffline()
}
