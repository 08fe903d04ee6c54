// A tablet in kiosk mode goes back to its kiosk: leaving kiosk mode needs the facilitator's PIN.
try {
  const kiosk = JSON.parse(window.localStorage.getItem('engage-kiosk') || 'null')
  if (kiosk && typeof kiosk.href === 'string' && kiosk.href.startsWith('/workshop/k/')) {
    window.location.replace(kiosk.href)
  }
} catch {
  // Nothing stored: an ordinary browser.
}
