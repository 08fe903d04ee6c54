// Options for starting the NHS.UK frontend components (initAll), the same online and on the kiosk.
//
// The NHS.UK character count counts JavaScript's string length by default: UTF-16 units, in which
// an emoji (or any character outside the Basic Multilingual Plane) is 2. The server counts each
// character once (Python's len counts code points), so someone near the limit was told they had
// too many characters when the server would take them. Counting code points here, with the
// component's own countFunction option, makes the two agree without changing the NHS.UK script.
export const nhsukOptions = Object.freeze({
  characterCount: { countFunction: text => Array.from(text).length }
})
