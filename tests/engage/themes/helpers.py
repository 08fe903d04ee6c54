"""Shared steps for theme tests."""

import re
from collections import Counter

from sqlmodel import select

from surveys.models import Answer, ThemeAssignment


def splitting_word(session, theme_id: int) -> str:
    """A word in some, not all, of a theme's answers (the most common such word)."""
    texts = session.exec(select(Answer.text_redacted)
                         .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
                         .where(ThemeAssignment.theme_id == theme_id)).all()
    counts = Counter(w for t in texts for w in {w.lower() for w in re.findall(r"[A-Za-z]{4,}", t or "")})
    return next((w for w, n in counts.most_common() if n < len(texts)), "no-such-word")


def split_by_word(client, session, run, theme_id: int, label: str = ""):
    word = splitting_word(session, theme_id)
    return client.post(f"{run.base}/t/{theme_id}/split", data={"phrase": word, "label": label})
