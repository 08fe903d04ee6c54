"""A quote a person can read at a glance: a long answer cut short, the same way wherever it is
quoted (the theme board, a theme's page, the theme × group table and the reports). The theme's
list of answers keeps each answer whole."""

from __future__ import annotations

import re

#: The most words a quote runs to: about two or three sentences, read at a glance in a board paper.
QUOTE_WORDS = 50
#: A sentence's end: its stop, then any closing quote marks or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|$)")


def short_quote(text: str, words: int = QUOTE_WORDS) -> str:
    """``text`` as written when it has at most ``words`` words; else its first ``words`` words cut
    at the last sentence end among them (when that keeps at least half of them), or at a word's
    end with "…". Never mid-word."""
    parts = text.split()
    if len(parts) <= words:
        return text
    head = " ".join(parts[:words])
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    # A sentence end near the start ("Yes. …") would leave next to nothing of the answer.
    if ends and len(head[:ends[-1]].split()) >= words // 2:
        return head[:ends[-1]]
    return head.rstrip(",;:–—-") + "…"
