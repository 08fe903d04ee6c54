"""Place new answers into existing themes, given each theme's current member texts.

Used when answers arrive after facilitators have edited themes: the themes (as edited) are the
reference, new answers go to the nearest theme's centre if they are close enough, and nothing a
facilitator did is changed.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .nonanswers import is_non_answer

WORDS = r"(?u)\b[a-zA-Z][a-zA-Z]+\b"


def place(groups: list[list[str]], new_texts: list[str], min_similarity: float = 0.05):
    """Return (theme index per new text or -1, similarity per new text)."""
    labels = np.full(len(new_texts), -1, dtype=int)
    scores = np.zeros(len(new_texts))
    members = [t for g in groups for t in g]
    if not new_texts or not members:
        return labels, scores
    vectoriser = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2),
                                 min_df=1, token_pattern=WORDS)
    try:
        vectoriser.fit(members + new_texts)
    except ValueError:  # no usable words at all
        return labels, scores
    centres = normalize(np.vstack([np.asarray(vectoriser.transform(g).mean(axis=0)) if g
                                   else np.zeros((1, len(vectoriser.vocabulary_))) for g in groups]))
    sims = vectoriser.transform(new_texts) @ centres.T
    sims = np.asarray(sims)
    best = sims.argmax(axis=1)
    for i, text in enumerate(new_texts):
        score = float(sims[i, best[i]])
        if not is_non_answer(text) and score >= min_similarity:
            labels[i], scores[i] = int(best[i]), score
    return labels, scores
