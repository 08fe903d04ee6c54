// Trade-off questions: one control per answer. Without JavaScript the person sees 7 radios (and
// "I don't know"); with it, a range slider takes the 7 radios' place, which are hidden but stay
// the real form field, kept in sync both ways. "I don't know" stays a radio under the slider.
// Nothing is chosen until the person chooses: the unset slider shows no thumb. Nothing needs
// dragging: arrow keys, Home/End, or a click/tap on the track or on a point all choose a point.
// The slider has the id the question's links lead to (without JavaScript, the first radio's).

import { say } from './words.js'

function labelFor (radio) {
  const label = radio.id ? document.querySelector(`label[for="${CSS.escape(radio.id)}"]`) : null
  return label ? label.textContent.trim() : radio.value
}

function enhance (group, index) {
  const radios = Array.from(group.querySelectorAll('input[type="radio"]'))
    .filter((r) => r.value !== '' && !Number.isNaN(Number(r.value)))
  const values = radios.map((r) => Number(r.value))
  if (!radios.length) return
  const fieldset = group.closest('fieldset')
  const legend = fieldset ? fieldset.querySelector('legend') : null
  const base = radios[0].name || `engage-tradeoff-${index}`
  if (legend && !legend.id) legend.id = `${base}-legend`

  const wrapper = document.createElement('div')
  wrapper.className = 'engage-slider'

  const poles = document.createElement('div')
  poles.className = 'engage-slider__poles'
  poles.setAttribute('aria-hidden', 'true') // the value text already names the pole
  for (const side of ['left', 'right']) {
    const pole = document.createElement('span')
    pole.className = `engage-slider__pole engage-slider__pole--${side}`
    pole.textContent = group.dataset[side] || ''
    poles.append(pole)
  }

  const slider = document.createElement('input')
  slider.type = 'range'
  slider.className = 'engage-slider__input'
  // The slider takes the first point's id, which every link to the question leads to (the error
  // summary, "Change" on check your answers): they must reach the control the person can see and
  // use, not a hidden radio. The first point, and its label, move to another id.
  const first = radios[0]
  const firstLabel = first.id ? document.querySelector(`label[for="${CSS.escape(first.id)}"]`) : null
  slider.id = first.id || `${base}-slider`
  if (first.id) {
    first.id = `${first.id}-point`
    if (firstLabel) firstLabel.htmlFor = first.id
  }
  slider.min = String(Math.min(...values))
  slider.max = String(Math.max(...values))
  slider.step = '1'
  if (legend) slider.setAttribute('aria-labelledby', legend.id)
  const hint = fieldset ? fieldset.getAttribute('aria-describedby') : null
  if (hint) slider.setAttribute('aria-describedby', hint)

  // Points under the track: a click or tap on one chooses it (a bigger target than the track).
  const points = document.createElement('div')
  points.className = 'engage-slider__points'
  points.setAttribute('aria-hidden', 'true')
  for (const radio of radios) {
    const point = document.createElement('span')
    point.className = 'engage-slider__point'
    point.dataset.value = radio.value
    point.title = labelFor(radio)
    point.addEventListener('click', () => choose(radio.value, true))
    points.append(point)
  }

  const chosen = document.createElement('p')
  chosen.className = 'engage-slider__chosen nhsuk-body-s'
  chosen.setAttribute('aria-hidden', 'true') // screen readers hear aria-valuetext instead

  wrapper.append(poles, slider, points, chosen)
  group.parentNode.insertBefore(wrapper, group)
  // The slider is the control now: the point radios leave the page (still submitted when checked).
  for (const radio of radios) radio.closest('.nhsuk-radios__item').hidden = true
  group.classList.add('engage-tradeoff--enhanced')

  function show (radio) {
    wrapper.classList.toggle('engage-slider--unset', !radio)
    slider.value = radio ? radio.value : String((Math.min(...values) + Math.max(...values)) / 2)
    const text = radio ? labelFor(radio) : say('unset', 'Not chosen yet')
    slider.setAttribute('aria-valuetext', text)
    chosen.textContent = radio
      ? say('chosen', 'Your choice: {choice}', { choice: text })
      : say('unsetTap', 'Not chosen yet: tap a point on the line')
    chosen.classList.toggle('engage-slider__chosen--unset', !radio)
    for (const point of points.children) {
      point.classList.toggle('engage-slider__point--chosen', !!radio && point.dataset.value === radio.value)
    }
  }

  function choose (value, fromPointer) {
    const radio = radios.find((r) => r.value === String(value))
    if (!radio) return
    if (!radio.checked) {
      radio.checked = true
      radio.dispatchEvent(new Event('change', { bubbles: true }))
    }
    show(radio)
    if (fromPointer) slider.focus()
  }

  slider.addEventListener('input', () => choose(slider.value, false))
  slider.addEventListener('change', () => choose(slider.value, false))
  // A click on the track where the thumb already is (e.g. the middle point while nothing is chosen)
  // changes no value, so no input event: choose it anyway.
  slider.addEventListener('click', () => choose(slider.value, false))
  // Choosing "I don't know" unchecks every point (one radio group), so the slider shows unset.
  group.addEventListener('change', () => show(radios.find((r) => r.checked)))
  show(radios.find((r) => r.checked))
}

export function initTradeoffs (root = document) {
  root.querySelectorAll('.engage-tradeoff').forEach((group, index) => {
    if (group.dataset.engageSlider) return
    group.dataset.engageSlider = 'on'
    enhance(group, index)
  })
}
