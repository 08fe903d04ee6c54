"""Labelling themes with their most distinctive terms and phrases.

A term's distinctiveness for a theme is class-based TF-IDF: its share of the theme's TF-IDF
mass, weighted by how concentrated it is in this theme rather than spread over all themes.
Bigrams ("waiting time") are preferred to the single words they contain when they score
close, since phrases read better in a label.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def theme_term_scores(tfidf, labels, n_themes: int, weight=None) -> np.ndarray:
    """Distinctiveness of every term for every theme, shape ``(n_themes, n_terms)``.

    ``labels`` holds a theme id per row of ``tfidf`` (-1 rows are ignored); ``weight``
    counts duplicates.
    """
    labels = np.asarray(labels)
    rows = np.flatnonzero(labels >= 0)
    weight = np.ones(len(labels)) if weight is None else np.asarray(weight, dtype=float)
    member = sparse.csr_matrix(
        (weight[rows], (labels[rows], rows)), shape=(n_themes, tfidf.shape[0])
    )
    mass = np.asarray((member @ tfidf).todense(), dtype=np.float64)  # theme x term
    sizes = np.asarray(member.sum(axis=1)).ravel()
    freq = mass / np.maximum(mass.sum(axis=1, keepdims=True), 1e-12)
    # Inverse "theme frequency": terms present everywhere (e.g. "staff") score low.
    avg_per_answer = mass.sum(axis=0) / max(sizes.sum(), 1.0)
    idf = np.log1p(sizes.mean() / np.maximum(avg_per_answer, 1e-12) / max(n_themes, 1))
    return freq * np.maximum(idf, 0.0)


def top_terms(scores_row, feature_names, surface, n: int = 8) -> list[str]:
    """The ``n`` best terms of one theme, as readable phrases, without repeats."""
    order = np.argsort(-scores_row, kind="stable")
    chosen: list[str] = []
    chosen_feats: list[str] = []
    for j in order[: 10 * n]:
        if scores_row[j] <= 0 or len(chosen) >= n:
            break
        feat = feature_names[j]
        words = set(feat.split(" "))
        # Skip a term whose words all appear in one chosen term (a word already inside a
        # chosen phrase, or a repeat): it adds nothing for a reader.
        if any(words <= set(c.split(" ")) for c in chosen_feats):
            continue
        phrase = surface(feat)
        if phrase in chosen:
            continue
        chosen.append(phrase)
        chosen_feats.append(feat)
    return chosen


def make_label(keywords: list[str], max_terms: int = 3) -> str:
    """A short label from the leading keywords, e.g. "Ambulance arrived, crew, time".

    A leading single word is replaced by a phrase containing it from the next few keywords
    ("arrived" -> "ambulance arrived"), and a term sharing a word with one already in the
    label is skipped, so the label does not repeat itself.
    """
    used: set[str] = set()
    parts: list[str] = []
    for i, term in enumerate(keywords):
        words = set(term.split())
        if words & used:
            continue
        if len(words) == 1:
            for other in keywords[i + 1:i + 4]:
                other_words = other.split()
                if term in other_words and len(other_words) > 1 and not set(other_words) & used:
                    term, words = other, set(other_words)
                    break
        parts.append(term)
        used |= words
        if len(parts) == max_terms:
            break
    if not parts:
        return "Other answers"
    label = ", ".join(parts)
    return label[:1].upper() + label[1:]
