// Arriving at a question page from a link to one of its fields ("Change" on check your answers
// links to the question's first control, as the error summary does): that control takes focus,
// and its question (legend or label) is scrolled into view above it, as the NHS.UK error summary
// does for its links. Without JavaScript the browser still scrolls to the field.

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
  const field = doc.getElementById(id)
  if (!field || !form.contains(field) || !field.matches('input, select, textarea')) return
  if (!field.getClientRects().length) return // hidden: nothing to focus
  const fieldset = field.closest('fieldset')
  const legend = fieldset ? fieldset.querySelector('legend') : null
  const label = doc.querySelector(`label[for="${CSS.escape(field.id)}"]`)
  const heading = legend || label
  if (heading && heading.getClientRects().length) heading.scrollIntoView()
  field.focus({ preventScroll: Boolean(heading) })
}
