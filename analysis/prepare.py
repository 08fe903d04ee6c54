"""Preparing answers for analysis: redact, normalise, find non-answers and duplicates.

Duplicates (answers equal after :func:`~analysis.normalise.match_key`) are analysed once and
weighted by their count, which is both faster and exactly equivalent for k-means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .nonanswers import duplicate_groups, is_non_answer
from .normalise import match_key, normalise
from .redact import PLACEHOLDERS, Redactor

# What redaction leaves in place of personal data: not words of the answer.
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


@dataclass
class Prepared:
    """Answers grouped into distinct texts.

    ``texts[j]`` is the redacted, normalised text of group ``j``; ``inverse[i]`` is the group
    of input row ``i``; ``counts[j]`` how many rows share group ``j``; ``non_answer[j]`` marks
    groups that are empty or a stock non-answer, or nothing but personal data ("07700 900123"
    is "[phone number]": nothing of what it says is left to theme or score).
    """

    texts: list[str]
    inverse: np.ndarray
    counts: np.ndarray
    non_answer: np.ndarray


def prepare(texts, redactor: Redactor | None = None) -> Prepared:
    """Redact (unless ``redactor`` is None), normalise and group ``texts``."""
    clean = [normalise(t if isinstance(t, str) else "") for t in texts]
    if redactor is not None:
        clean = [redactor.redact(t) for t in clean]
    keys = [match_key(t) for t in clean]
    first, inverse = duplicate_groups(keys)
    group_texts = [clean[i] for i in first]
    non_answer = np.fromiter((is_non_answer(_PLACEHOLDER.sub(" ", t)) for t in group_texts),
                             dtype=bool, count=len(group_texts))
    counts = np.bincount(inverse, minlength=len(first)) if len(first) else np.zeros(0, int)
    return Prepared(group_texts, inverse, counts, non_answer)
