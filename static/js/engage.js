// Starts the NHS.UK frontend components, then Engage's own progressive enhancements. Each
// enhancement does nothing on pages without its elements; every page works without JavaScript.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'
import { nhsukOptions } from './nhsuk-options.js'
import { initTradeoffs } from './tradeoff.js'
import { initAllocations } from './allocate.js'
import { takeOverRadioReveals } from './reveal.js'
import { initCopyLinks } from './copy-link.js'
import { initRowEditors } from './rows.js'
import { initRoutingChoices } from './routing.js'
import { focusLinkedField, followErrorLinks } from './linked-field.js'
import { forgetErrorPost } from './forget-post.js'

takeOverRadioReveals()  // before initAll: the NHS.UK script must not claim these radios
initAll(nhsukOptions)
initTradeoffs()
initAllocations()
initCopyLinks()
initRowEditors()
initRoutingChoices()
focusLinkedField()  // after the trade-offs: a link to one leads to its slider
followErrorLinks()
forgetErrorPost()
