// The builder's rows editor (options, scale points) without a round trip. Without JavaScript
// the same buttons send the form and the server adds, removes or moves the row
// (engage/facilitate/rows.py); here they do it in the page. Focus stays with the row being
// worked on, and a live region says what happened, for people using a screen reader.

function fill (template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''))
}

// Names, ids and words follow each row's place: NAME-N-label, "Option N", buttons' values.
function renumber (editor) {
  const name = editor.dataset.rows
  const rows = [...editor.querySelectorAll('[data-rows-list] > [data-row]')]
  rows.forEach((row, i) => {
    const box = row.querySelector('input[data-row-box]')
    const key = row.querySelector('input[type="hidden"]')
    const label = row.querySelector('label')
    const id = i === 0 ? name : `${name}-${i}-label`
    box.name = `${name}-${i}-label`
    box.id = id
    label.htmlFor = id
    const error = row.querySelector('.nhsuk-error-message')
    if (error) error.id = `${id}-error`
    if (box.hasAttribute('aria-describedby')) box.setAttribute('aria-describedby', `${id}-error`)
    if (key) key.name = `${name}-${i}-key`
    row.querySelector('[data-row-text]').textContent = fill(editor.dataset.rowText, { n: i + 1 })
    row.querySelectorAll('[data-row-which]').forEach(span => {
      span.textContent = ' ' + fill(editor.dataset.rowWhich, { n: i + 1 })
    })
    row.querySelector('[data-row-move="up"]').hidden = i === 0
    row.querySelector('[data-row-move="down"]').hidden = i === rows.length - 1
    row.querySelectorAll('button[name="rows-action"]').forEach(button => {
      button.value = button.value.replace(/ \d+$/, ` ${i}`)
    })
  })
  const add = editor.querySelector('[data-rows-add]')
  add.hidden = rows.length >= Number(editor.dataset.max)
  return rows
}

function say (editor, text) {
  const status = editor.querySelector('[data-rows-status]')
  status.textContent = ''
  // A fresh message after a tick, so the same words said twice are announced twice.
  window.setTimeout(() => { status.textContent = text }, 50)
}

function add (editor) {
  const list = editor.querySelector('[data-rows-list]')
  const rows = list.querySelectorAll(':scope > [data-row]')
  if (rows.length >= Number(editor.dataset.max)) {
    say(editor, editor.dataset.saidFull)
    return
  }
  const template = editor.querySelector('template[data-rows-template]')
  const row = template.content.firstElementChild.cloneNode(true)
  list.appendChild(row)
  const all = renumber(editor)
  row.querySelector('input[data-row-box]').focus()
  say(editor, fill(editor.dataset.saidAdded, { n: all.length }))
}

function remove (editor, row) {
  const rows = [...editor.querySelectorAll('[data-rows-list] > [data-row]')]
  const i = rows.indexOf(row)
  row.remove()
  const left = renumber(editor)
  const next = left[Math.min(i, left.length - 1)]
  if (next) next.querySelector('input[data-row-box]').focus()
  else editor.querySelector('[data-rows-add]').focus()
  say(editor, fill(editor.dataset.saidRemoved, { n: i + 1, count: left.length }))
}

function move (editor, row, direction) {
  const other = direction === 'up' ? row.previousElementSibling : row.nextElementSibling
  if (!other) return
  if (direction === 'up') other.before(row)
  else other.after(row)
  const rows = renumber(editor)
  // Keep focus on the button pressed; at an end it is hidden, so take the other one.
  const pressed = row.querySelector(`[data-row-move="${direction}"]`)
  const opposite = row.querySelector(`[data-row-move="${direction === 'up' ? 'down' : 'up'}"]`)
  ;(pressed.hidden ? opposite : pressed).focus()
  say(editor, fill(editor.dataset.saidMoved, { n: rows.indexOf(row) + 1, count: rows.length }))
}

export function initRowEditors (root = document) {
  root.querySelectorAll('[data-rows]').forEach(editor => {
    editor.addEventListener('click', event => {
      const button = event.target.closest('button[name="rows-action"]')
      if (!button || !editor.contains(button)) return
      event.preventDefault()
      const row = button.closest('[data-row]')
      if (button.hasAttribute('data-rows-add')) add(editor)
      else if (button.hasAttribute('data-row-remove')) remove(editor, row)
      else move(editor, row, button.dataset.rowMove)
    })
  })
}
