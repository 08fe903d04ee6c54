// A page that came back with an error is the answer to a form sent to its own address. Left as
// it is, the browser's Back to it (after the person has put the error right and gone on) asks to
// "resend the form" instead of showing the page. Making its history entry a plain visit of the
// same address lets Back show the page afresh, with what was saved. Forms are read through their
// attributes: a field called "action" or "method" would hide form.action and form.method.
export function forgetErrorPost (root = document) {
  if (!root.querySelector('.nhsuk-error-summary') || !window.history.replaceState) return
  const here = new URL(window.location.href)
  const postsHere = [...root.querySelectorAll('form')].some(form => {
    if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post') return false
    const target = new URL(form.getAttribute('action') || here.href, here)
    return target.origin === here.origin && target.pathname === here.pathname
  })
  if (postsHere) window.history.replaceState(window.history.state, '', here.href)
}
