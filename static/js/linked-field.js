// Links to a question's field: "Change" on check your answers (the page is arrived at with the
// field's id in the address) and the error summary's links. The field takes focus with its
// question (legend or label) in view above it, as the NHS.UK error summary does for its links.
// Without JavaScript the browser still scrolls to the field.

// The field's question in view with it: its legend or label when the two fit on the screen
// together, else its error message, else the field alone. (The NHS.UK error summary gives up on
// the legend when the field is more than half a screen below it: on a phone, a trade-off's long
// hint put its slider there, and the person saw a bare slider with its question, its error and
// which end meant what all above the screen.)
function reveal (field, doc) {
  const fieldset = field.closest('fieldset')
  const legend = fieldset ? fieldset.querySelector('legend') : null
  const label = doc.querySelector(`label[for="${CSS.escape(field.id)}"]`)
  const error = fieldset ? fieldset.querySelector('.nhsuk-error-message') : null
  const bottom = field.getBoundingClientRect().bottom
  const heading = [legend || label, error].find(el =>
    el && el.getClientRects().length && bottom - el.getBoundingClientRect().top <= window.innerHeight)
  if (heading) heading.scrollIntoView()
  field.focus({ preventScroll: Boolean(heading) })
}

function linkedField (doc, id) {
  const field = doc.getElementById(id)
  if (!field || !field.matches('input, select, textarea') || !field.getClientRects().length) return null
  return field
}

export function focusLinkedField (doc = document) {
  let id
  try {
    id = decodeURIComponent(doc.location.hash.slice(1))
  } catch {
    return // a made-up address
  }
  const form = doc.getElementById('page-form')
  // A page showing errors: the error summary takes focus, and its links lead to the fields.
  if (!id || !form || doc.querySelector('.nhsuk-error-summary')) return
  const field = linkedField(doc, id)
  if (field && form.contains(field)) reveal(field, doc)
}

// The error summary's links, before the NHS.UK script's own handler (which this one replaces for
// a link to a field that can be shown).
export function followErrorLinks (doc = document) {
  doc.addEventListener('click', event => {
    const link = event.target.closest && event.target.closest('.nhsuk-error-summary a[href^="#"]')
    if (!link) return
    let field
    try {
      field = linkedField(doc, decodeURIComponent(link.hash.slice(1)))
    } catch {
      return
    }
    if (!field) return
    event.preventDefault()
    event.stopPropagation()
    reveal(field, doc)
  }, true)
}
