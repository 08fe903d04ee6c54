// A tablet in kiosk mode goes back to its kiosk: leaving kiosk mode needs the facilitator's PIN.
try {
  const kiosk = JSON.parse(window.localStorage.getItem('engage-kiosk') || 'null')
  if (kiosk && typeof kiosk.href === 'string' && kiosk.href.startsWith('/workshop/k/')) {
    // In the language it was set up in (kiosk.js), whatever the last person chose.
    const lang = typeof kiosk.lang === 'string' ? `?lang=${encodeURIComponent(kiosk.lang)}` : ''
    window.location.replace(kiosk.href + lang)
  }
} catch {
  // Nothing stored: an ordinary browser.
}
