// Words the small scripts write (slider, running total), in the page's language: the server puts
// them on <body data-engage-words> (engage.i18n.script_words); English when they are missing.
// "{name}" in a message is filled in from ``values``.
let cached = null

function given () {
  if (cached === null) {
    try { cached = JSON.parse(document.body.dataset.engageWords || '{}') || {} } catch { cached = {} }
  }
  return cached
}

export function say (key, fallback, values = {}) {
  const text = given()[key] || fallback
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole))
}
