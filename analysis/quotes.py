"""Choosing representative, mutually different quotes for a theme.

Maximal marginal relevance: each next quote is the answer most similar to the theme's centre
after a penalty for resembling a quote already chosen.  Very short and very long answers are
down-weighted because neither reads well in a report.
"""

from __future__ import annotations

import numpy as np

from .normalise import match_key


def select_quotes(texts, vectors, centre, n: int = 5, diversity: float = 0.5,
                  max_candidates: int = 300) -> list[str]:
    """Pick up to ``n`` representative and different texts.

    Parameters
    ----------
    texts : sequence of str
        The theme's answers (already redacted).
    vectors : ndarray of shape (len(texts), d)
        Their unit vectors.
    centre : ndarray of shape (d,)
        The theme's unit centre.
    n : int
        Number of quotes wanted.
    diversity : float in [0, 1]
        0 picks purely the most central answers, 1 purely different ones.
    max_candidates : int
        Only the most central answers are considered, which bounds the cost.
    """
    if len(texts) == 0:
        return []
    relevance = np.asarray(vectors) @ np.asarray(centre)
    words = np.array([len(t.split()) for t in texts])
    # Prefer answers of 5-60 words; shorter ones say little, longer ones are hard to quote.
    relevance = relevance - 0.15 * (words < 5) - 0.1 * (words > 60)
    order = np.argsort(-relevance, kind="stable")[:max_candidates]
    cand = np.asarray(vectors)[order]
    rel = relevance[order]
    keys = [match_key(texts[i]) for i in order]
    redundancy = np.zeros(len(order))
    available = np.ones(len(order), dtype=bool)
    chosen: list[int] = []
    while len(chosen) < n and available.any():
        score = (1 - diversity) * rel - diversity * redundancy
        score[~available] = -np.inf
        best = int(np.argmax(score))
        chosen.append(best)
        # Exact repeats (same words) are never shown twice.
        available &= np.array([k != keys[best] for k in keys])
        redundancy = np.maximum(redundancy, cand @ cand[best])
    return [texts[order[i]] for i in chosen]
