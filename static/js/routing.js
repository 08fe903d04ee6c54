// "Who sees this page?": show only the answers of the question chosen. Without JavaScript every
// earlier question's answers are listed, each under its question, and only the chosen question's
// ticks count (engage/facilitate/forms.py, RoutingAnswersField).

function sync (select, answers) {
  answers.querySelectorAll('[data-routing-group]').forEach(group => {
    group.hidden = group.dataset.routingGroup !== select.value
  })
}

export function initRoutingChoices (root = document) {
  root.querySelectorAll('[data-routing-answers]').forEach(answers => {
    const form = answers.closest('form')
    const select = form && form.elements.namedItem(answers.dataset.routingAnswers)
    if (!select) return
    select.addEventListener('change', () => sync(select, answers))
    sync(select, answers)
  })
}
