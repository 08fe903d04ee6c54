"""Words that may signal a safeguarding disclosure.

Redaction must never remove these (a name rule must not swallow "Nurse Abuse..."), and the
theme model flags answers that contain them so a named person can review them.  The list is
deliberately broad: a false flag costs a facilitator a minute, a missed one can cost far more.
"""

from __future__ import annotations

import re

SAFEGUARDING_WORDS = frozenset(
    """abuse abused abusing abusive assault assaulted attack attacked beat beaten bruise bruises
    bruised bully bullied bullying hit hitting hurt hurting harm harmed self-harm selfharm
    kill killing suicide suicidal overdose rape raped sexual molested grooming groomed
    neglect neglected unsafe danger dangerous threat threatened threatening violence violent
    restrain restrained restraint locked trafficked exploited exploitation coerced scared
    frightened terrified weapon knife""".split()
)

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def mentions_safeguarding(text: str) -> bool:
    """Return True if ``text`` contains a word from :data:`SAFEGUARDING_WORDS`."""
    if not text:
        return False
    return any(w in SAFEGUARDING_WORDS for w in _WORD.findall(text.lower()))
