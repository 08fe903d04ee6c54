// "Copy link" on the save page: copies the resume link and says so. The button is shown only
// when this script runs; without JavaScript the link itself can be copied as any text.
export function initCopyLinks (root = document) {
  root.querySelectorAll('[data-copy-target]').forEach((button) => {
    const target = document.getElementById(button.dataset.copyTarget)
    const status = button.parentElement.querySelector('[role="status"]')
    if (!target) return
    button.parentElement.hidden = false
    button.addEventListener('click', async () => {
      const text = target.textContent.trim()
      let copied = false
      try {
        await navigator.clipboard.writeText(text)
        copied = true
      } catch {
        // No clipboard access (an old browser, or a page not served over HTTPS): select the
        // link so that the person can copy it themselves.
        const range = document.createRange()
        range.selectNodeContents(target)
        window.getSelection().removeAllRanges()
        window.getSelection().addRange(range)
      }
      // The words come from the page (data-copied, data-selected), in the page's language.
      if (status) {
        status.textContent = copied
          ? (button.dataset.copied || 'Link copied')
          : (button.dataset.selected || 'Link selected: copy it with your device\'s copy command')
      }
    })
  })
}
