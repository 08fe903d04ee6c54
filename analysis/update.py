"""Updating a run: new answers placed with the run's own model into the themes as they now are,
and those that fit no theme gathered into proposed new themes.

The themes a facilitator sees may no longer be the model's (merged, split, made by hand), so a
theme's centre is taken from its current answers' vectors, not from the fitted centres.  An answer
goes to the nearest centre if it is at least as close as nearly all current answers are to their
own theme (the same 5% rule as the model's ``threshold_``); otherwise it fits no theme.  Those
are grouped by the engine's own clustering and labelling, on vectors learned from them (their
words may be new to the model: "car park" in a run about waiting times).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.preprocessing import normalize

from .cluster import SphericalKMeans
from .label import theme_term_scores, top_terms, unique_labels
from .model import FITS_NO_THEME, NO_THEME, NOVELTY_QUANTILE
from .prepare import prepare
from .vectorise import WordVectoriser

#: Answers that fit no theme are split into several proposals only when the groups are clearly
#: apart: a silhouette of at least 0.5, "reasonable structure" in Kaufman and Rousseeuw's terms.
#: Below it they are one proposal, which the facilitator can split with the usual tools: a few
#: dozen answers on one new topic should not come back as five slivers of it.
CLEAR_SILHOUETTE = 0.5
MAX_PROPOSALS = 20


@dataclass
class Placement:
    """Where new answers go: theme index per answer (into ``groups``), :data:`NO_THEME` for a
    non-answer, :data:`FITS_NO_THEME` for an answer too far from every theme (or sharing no
    word with the model); similarity to the chosen theme; the similarity a theme needed."""

    labels: np.ndarray
    scores: np.ndarray
    threshold: float
    #: Cosine similarity of the two closest current themes (how near two themes may be).
    closest: float = 1.0


@dataclass
class Proposal:
    """A proposed new theme: rows of the texts it was made from, a label and keywords."""

    rows: list[int]
    label: str
    keywords: list[str] = field(default_factory=list)


def current_centres(X, members: list[np.ndarray]):
    """Unit centre of each group of rows of ``X`` (zero for a group with no usable row)."""
    centres = np.zeros((len(members), X.shape[1]), dtype=np.float32)
    for t, rows in enumerate(members):
        if len(rows):
            centres[t] = X[rows].sum(axis=0)
    return normalize(centres).astype(np.float32)


def place(model, groups: list[list[str]], new_texts: list[str], novelty: bool = True) -> Placement:
    """Place ``new_texts`` into the themes whose current answers are ``groups``.

    With ``novelty`` (an update), an answer less similar to its nearest theme than the 5th
    percentile of the current answers' similarity to their own theme fits no theme; without it
    (the facilitator chose "put in nearest themes") every answer with a known word is placed.
    """
    sizes = [len(g) for g in groups]
    X, usable, known = model.answer_vectors([t for g in groups for t in g] + list(new_texts))
    offsets = np.cumsum([0, *sizes])
    members = [np.arange(offsets[t], offsets[t + 1])[usable[offsets[t]:offsets[t + 1]]]
               for t in range(len(groups))]
    centres = current_centres(X, members)
    # Similarity counts only the part of an answer the model can see: "finding a parking space
    # takes longer than the appointment" is not about appointments because "appointment" is
    # the one word of it the model knows.
    member_sims = [(X[rows] @ centres[t]) * known[rows] for t, rows in enumerate(members) if len(rows)]
    all_sims = np.concatenate(member_sims) if member_sims else np.zeros(0)
    threshold = float(np.quantile(all_sims, NOVELTY_QUANTILE)) if len(all_sims) else 1.0
    new_X, new_usable = X[offsets[-1]:], usable[offsets[-1]:]
    answered = _answered(new_texts)
    labels = np.where(answered, FITS_NO_THEME, NO_THEME).astype(np.int64)
    scores = np.zeros(len(new_texts), dtype=np.float32)
    has_centre = np.abs(centres).sum(axis=1) > 0
    if has_centre.any() and len(new_texts):
        sims = (new_X @ centres.T) * known[offsets[-1]:, None]
        sims[:, ~has_centre] = -np.inf
        best = np.argmax(sims, axis=1)
        best_sim = sims[np.arange(len(best)), best]
        fits = answered & new_usable & ((best_sim >= threshold) if novelty else True)
        labels[fits] = best[fits]
        scores[fits] = best_sim[fits]
    between = centres[has_centre] @ centres[has_centre].T
    np.fill_diagonal(between, -1.0)
    closest = float(between.max()) if has_centre.sum() >= 2 else 1.0
    return Placement(labels, scores, threshold, closest)


def propose(texts: list[str], min_size: int, random_state=0, n_keywords: int = 8,
            merge_above: float = 1.0) -> tuple[list[Proposal], list[int]]:
    """Group answers that fit no theme into proposed themes of at least ``min_size`` answers.

    Returns the proposals (largest first) and the rows left over: too few alike to make a theme,
    or with no usable word.  Vectors are learned from ``texts`` themselves, the count is the
    engine's automatic one, and when no count shows real structure they are one proposal (a
    facilitator can split it), not as many small ones as the sizes allow.  Groups whose centres
    are more similar than ``merge_above`` (an update passes the similarity of the run's two
    closest themes) are one proposal: a new theme should stand as far apart from the next as
    the run's own themes do.
    """
    rows = np.arange(len(texts))
    answered = _answered(texts)
    if answered.sum() < max(min_size, 1):
        return [], [int(r) for r in rows[answered]]
    # Every n-gram is kept however common: answers on one new topic all say its words ("car
    # park"), and those are what groups and names them.
    vec = WordVectoriser(n_components=100, max_df=1.0, random_state=random_state)
    use = rows[answered]
    X, tfidf = vec.fit_transform_both([texts[i] for i in use])
    usable = np.abs(X).sum(axis=1) > 0
    rest = [int(r) for r in use[~usable]]
    if usable.sum() < min_size:
        return [], [int(r) for r in use]
    Xu, used = X[usable], use[usable]
    most = min(MAX_PROPOSALS, max(2, int(np.sqrt(len(used) / 2))), len(used) // min_size)
    clusterer = SphericalKMeans(min_size=min_size, max_clusters=max(1, most),
                                min_peak=CLEAR_SILHOUETTE, random_state=random_state).fit(Xu)
    labels = clusterer.labels_
    if clusterer.criterion_ == "size":  # no clear structure: one proposal, not many slivers
        labels = np.zeros(len(used), dtype=np.int64)
    labels = _merge_close(Xu, labels, merge_above)
    k = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=k)
    keep = [t for t in np.argsort(-sizes, kind="stable") if sizes[t] >= min_size]
    for t in range(k):
        if sizes[t] < min_size:
            rest += [int(r) for r in used[labels == t]]
    if not keep:
        return [], sorted(rest)
    scores = theme_term_scores(tfidf[usable], labels, k)
    names = vec.tfidf_.get_feature_names_out()
    keywords = [top_terms(scores[t], names, vec.analyzer_.surface, n_keywords) for t in keep]
    group_texts = [[texts[i] for i in used[labels == t]] for t in keep]
    names_out = unique_labels(keywords, group_texts, vec.analyzer_.stem)
    proposals = [Proposal([int(r) for r in used[labels == t]], names_out[i], keywords[i])
                 for i, t in enumerate(keep)]
    return proposals, sorted(rest)


def _answered(texts) -> np.ndarray:
    """True for each text that is a real answer (not empty, not a stock non-answer)."""
    if not len(texts):
        return np.zeros(0, dtype=bool)
    prep = prepare(list(texts))
    return ~prep.non_answer[prep.inverse]


def _merge_close(X, labels, merge_above: float) -> np.ndarray:
    """Merge the two groups with the most similar centres while that similarity is above
    ``merge_above``; group ids renumbered from 0."""
    labels = np.unique(labels, return_inverse=True)[1].astype(np.int64)
    while labels.max() >= 1:
        centres = current_centres(X, [np.flatnonzero(labels == t) for t in range(labels.max() + 1)])
        sims = centres @ centres.T
        np.fill_diagonal(sims, -1.0)
        a, b = np.unravel_index(np.argmax(sims), sims.shape)
        if sims[a, b] <= merge_above:
            break
        labels[labels == max(a, b)] = min(a, b)
        labels = np.unique(labels, return_inverse=True)[1].astype(np.int64)
    return labels
