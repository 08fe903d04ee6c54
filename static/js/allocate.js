// Allocation questions: a live running total in the question's aria-live element.
// Without JavaScript the hint says the amounts must add up, and the server checks them.
import { say } from './words.js'

function amount (input) {
  const raw = input.value.trim().replace(/,/g, '')
  return /^\d+$/.test(raw) ? Number(raw) : 0
}

export function totalMessage (used, total, unit) {
  const start = say('used', 'You have used {used} of {total} {unit}.', { used, total, unit })
  if (used > total) return `${start} ${say('over', '{over} too many.', { over: used - total })}`
  return `${start} ${say('left', '{left} left.', { left: total - used })}`
}

function enhance (box) {
  const total = Number(box.dataset.total)
  const unit = box.dataset.unit || ''
  const output = box.querySelector('.engage-allocate__total')
  const inputs = Array.from(box.querySelectorAll('input'))
  if (!output || !inputs.length || Number.isNaN(total)) return

  function update () {
    const used = inputs.reduce((sum, input) => sum + amount(input), 0)
    const text = totalMessage(used, total, unit)
    if (output.textContent !== text) output.textContent = text
    output.classList.toggle('engage-allocate__total--over', used > total)
    output.classList.toggle('engage-allocate__total--exact', used === total)
  }

  box.addEventListener('input', update)
  update()
}

export function initAllocations (root = document) {
  root.querySelectorAll('.engage-allocate').forEach((box) => {
    if (box.dataset.engageAllocate) return
    box.dataset.engageAllocate = 'on'
    enhance(box)
  })
}
