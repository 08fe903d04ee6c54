// Radios that reveal a field ("Other, please say what") without aria-expanded on the radio.
// NHS.UK frontend marks such radios aria-expanded, which ARIA does not allow on a radio (axe:
// aria-allowed-attr) and which screen readers announce inconsistently. Engage takes these radios
// out of the NHS.UK script (it only manages radios with data-aria-controls) and shows or hides the
// field itself. Without JavaScript every revealed field is simply shown.
const HIDDEN = 'nhsuk-radios__conditional--hidden'

function sync (radios) {
  radios.forEach(radio => {
    const target = document.getElementById(radio.dataset.engageReveals)
    if (target) target.classList.toggle(HIDDEN, !radio.checked)
  })
}

export function takeOverRadioReveals (root = document) {
  const radios = [...root.querySelectorAll('input[type="radio"][data-aria-controls]')]
  radios.forEach(radio => {
    radio.dataset.engageReveals = radio.dataset.ariaControls
    delete radio.dataset.ariaControls
  })
  const groups = new Map()
  radios.forEach(radio => {
    const group = [...root.querySelectorAll(`input[type="radio"][name="${CSS.escape(radio.name)}"]`)]
      .filter(r => r.form === radio.form)
    groups.set(radio.name, group)
  })
  groups.forEach(group => {
    const revealing = group.filter(r => r.dataset.engageReveals)
    group.forEach(r => r.addEventListener('change', () => sync(revealing)))
    // A page restored from the back/forward cache keeps its choice: show its field again.
    if (root === document) window.addEventListener('pageshow', () => sync(revealing))
    sync(revealing)
  })
}
