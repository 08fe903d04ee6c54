"""Sentiment per answer with VADER (its lexicon ships inside the vaderSentiment package).

VADER suits short informal feedback: it handles negation ("not helpful"), boosters ("very"),
capitals and exclamation marks.  The compound score runs from -1 (very negative) to +1.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def _analyser():
    # Built on first use, not at import: loading the lexicon takes a moment.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment_score(text: str) -> float:
    """VADER compound score of one text (0.0 for empty text)."""
    if not text or not text.strip():
        return 0.0
    return float(_analyser().polarity_scores(text)["compound"])


def sentiment_scores(texts) -> np.ndarray:
    """VADER compound score for each text, as a float array."""
    return np.fromiter((sentiment_score(t) for t in texts), dtype=float)
