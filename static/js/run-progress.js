// Keeps the analysis progress bar up to date, then opens the theme board when the run finishes;
// and the theme board, while answers are placed, shows itself again when they are.
const box = document.querySelector('.engage-run-progress')
if (box) {
  const bar = document.getElementById('run-progress')
  const step = document.getElementById('run-step')
  const status = document.getElementById('run-status')
  const poll = async () => {
    try {
      const r = await fetch(box.dataset.statusUrl, { headers: { Accept: 'application/json' } })
      const data = await r.json()
      const pct = Math.round(data.progress * 100)
      bar.value = pct
      bar.textContent = `${pct}%`
      step.textContent = data.step
      status.textContent = `${pct}% done`
      if (data.status === 'done' || data.status === 'failed') {
        window.location.assign(box.dataset.doneUrl)
        return
      }
    } catch (e) { /* network blip: try again */ }
    setTimeout(poll, 1000)
  }
  setTimeout(poll, 500)
}

// The theme board while answers are being placed: checks quietly, says when the work is done, then
// shows the board (without JavaScript the page reloads itself, inside <noscript>).
const busy = document.querySelector('.engage-board-busy')
if (busy) {
  const check = async () => {
    try {
      const r = await fetch(busy.dataset.statusUrl, { headers: { Accept: 'application/json' } })
      const data = await r.json()
      if (!data.busy) {
        busy.textContent = busy.dataset.doneText
        window.location.reload()
        return
      }
    } catch (e) { /* network blip: try again */ }
    setTimeout(check, 3000)
  }
  setTimeout(check, 3000)
}
