"""Choosing representative, mutually different quotes for a theme.

Maximal marginal relevance: the first quote is the most representative answer that says what
the theme's label says, when one does; each next quote is the answer most similar to the theme's centre
after a penalty for resembling a quote already chosen.  A quote has to stand on its own on a
board card or in a report, so very short and very long answers are down-weighted, so are
answers that do not read as a sentence (a fragment of a word or two, or no capital at the
start), and answers with a redaction placeholder ("[phone number]") are used only when there is
no other choice; an answer with two or more placeholders is never quoted.
"""

from __future__ import annotations

import numpy as np

from .normalise import match_key
from .redact import placeholder_count


def quotability(texts) -> np.ndarray:
    """Penalty (0 = none) for each text as a stand-alone quote; -inf if it must not be quoted.

    5-60 words read best; a text of one or two words is a fragment; one placeholder is
    tolerated at a cost, two or more never.
    """
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        words = len(text.split())
        holes = placeholder_count(text)
        if holes >= 2:
            out[i] = -np.inf
            continue
        out[i] -= 0.15 * (words < 5) + 0.2 * (words < 3) + 0.1 * (words > 60)
        out[i] -= 0.3 * holes
        out[i] -= 0.03 * (not text[:1].isupper())
    return out


def select_quotes(texts, vectors, centre, n: int = 5, diversity: float = 0.5,
                  max_candidates: int = 300, agrees=None) -> list[str]:
    """Pick up to ``n`` representative and different texts (see :func:`select_quote_indices`)."""
    return [texts[i] for i in select_quote_indices(texts, vectors, centre, n, diversity,
                                                   max_candidates, agrees)]


def select_quote_indices(texts, vectors, centre, n: int = 5, diversity: float = 0.5,
                         max_candidates: int = 300, agrees=None) -> list[int]:
    """Positions in ``texts`` of up to ``n`` representative and different texts.

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
    agrees : callable, optional
        ``agrees(text)`` is true for an answer that says what the theme's label says
        (:func:`analysis.label.agrees_with`).  The first quote, the one shown under the label,
        is then the most representative such answer among the candidates, if there is one, so
        that a label and the quote under it do not contradict each other ("No problems" over
        "Just listening to my problems").
    """
    if len(texts) == 0:
        return []
    relevance = np.asarray(vectors) @ np.asarray(centre) + quotability(texts)
    order = np.argsort(-relevance, kind="stable")[:max_candidates]
    order = order[np.isfinite(relevance[order])]
    cand = np.asarray(vectors)[order]
    rel = relevance[order]
    keys = [match_key(texts[i]) for i in order]
    redundancy = np.zeros(len(order))
    available = np.ones(len(order), dtype=bool)
    chosen: list[int] = []
    lead = None
    if agrees is not None:
        lead = next((k for k, i in enumerate(order) if agrees(texts[i])), None)
    while len(chosen) < n and available.any():
        score = (1 - diversity) * rel - diversity * redundancy
        score[~available] = -np.inf
        best = int(np.argmax(score)) if lead is None or chosen else lead
        chosen.append(best)
        # Exact repeats (same words) are never shown twice.
        available &= np.array([k != keys[best] for k in keys])
        redundancy = np.maximum(redundancy, cand @ cand[best])
    return [int(order[i]) for i in chosen]
