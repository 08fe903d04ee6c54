// Starts the NHS.UK frontend components; Engage's own enhancements are loaded by their pages.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'

initAll()
