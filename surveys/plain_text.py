"""Text people type, as it can be stored, shown and written into a document.

A character that is no text (a control character: "\\x01", or the vertical tab Word pastes for a
line break) is saved by SQLite, refused by PostgreSQL when it is NUL, and stops a Word document
being written at all ("All strings must be XML compatible"). Half of a UTF-16 pair on its own
(JSON can carry one, "\\ud800" from a kiosk) cannot be stored at all. So typed text is made
storable once, where it comes in: the staff's forms, theme names, respondents' answers.
"""

from __future__ import annotations

import re

#: Word's line and page breaks (vertical tab, form feed) and the separators: a line break.
_BREAKS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: Every other control character but tab and line feed (carriage returns are made line feeds).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with line breaks as line feeds, other control characters dropped and a lone half of
    a UTF-16 pair as U+FFFD (as a browser sends a broken character)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _LONE_SURROGATE.sub("\ufffd", _CONTROL.sub("", _BREAKS.sub("\n", text)))
