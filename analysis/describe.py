"""Turning clusters into readable themes: keywords, label, quotes, sentiment, breakdowns,
and sub-themes for broad themes."""

from __future__ import annotations

import numpy as np

from .cluster import SphericalKMeans
from .label import agrees_with, theme_term_scores, top_terms, unique_labels
from .quotes import select_quote_indices
from .sentiment import shares
from .theme import Theme, crosstab

# A theme is split only if it is big enough and its parts are clearly apart (silhouette);
# otherwise sub-themes would just be noise for a facilitator to read through.
MIN_SUBTHEME_SILHOUETTE = 0.12
MAX_SUBTHEMES = 5
# Answers read per theme to find how people worded its label phrase.
LABEL_TEXTS = 300


def _mean(scores) -> float | None:
    """The mean of the scored answers' sentiment (None when none is scored: empty, or in Welsh)."""
    scored = scores[~np.isnan(scores)]
    return float(scored.mean()) if len(scored) else None


def fit_subthemes(X, labels, weight, min_size, seed) -> dict:
    """Sub-theme centres for each broad theme: ``{theme_id: centres}``.

    A theme is broad when it is large (at least four times the smallest theme size) and
    loose: the mean resultant length of its unit vectors (1 when all answers point the same
    way) is at or below the median theme's.
    """
    n_themes = int(labels.max()) + 1 if len(labels) else 0
    cohesion = np.array([np.linalg.norm(X[labels == t].mean(axis=0)) if (labels == t).any()
                         else 1.0 for t in range(n_themes)])
    median = float(np.median(cohesion)) if n_themes else 0.0
    out = {}
    for theme in range(n_themes):
        rows = np.flatnonzero(labels == theme)
        if len(rows) < 20 or weight[rows].sum() < 4 * min_size:
            continue
        if n_themes >= 3 and cohesion[theme] > median:
            continue
        sub = SphericalKMeans(min_size=min_size, max_clusters=MAX_SUBTHEMES,
                              sample_size=1000,
                              random_state=seed)
        sub.fit(X[rows], sample_weight=weight[rows])
        clear = sub.criterion_ == "gap" or \
            max(sub.scores_.values(), default=0.0) >= MIN_SUBTHEME_SILHOUETTE
        if sub.n_clusters_ >= 2 and clear:
            out[theme] = sub.cluster_centers_.astype(np.float32)
    return out


def name_themes(model, fit_texts, fit_labels, tfidf, weight) -> tuple[list, list]:
    """``(keywords, labels)`` of each theme, from its answers in the fitting sample; the labels
    are unique across the run (sub-themes are named around them, in :func:`describe_themes`)."""
    k = len(model.centres_)
    if k == 0:
        return [], []
    names = model.vectoriser_.tfidf_.get_feature_names_out()
    surface = model.vectoriser_.analyzer_.surface
    scores = theme_term_scores(tfidf, fit_labels, k, weight)
    keywords = [top_terms(scores[t], names, surface, model.n_keywords) for t in range(k)]
    members = [np.flatnonzero(fit_labels == t)[:LABEL_TEXTS] for t in range(k)]
    labels = unique_labels(keywords, [[fit_texts[i] for i in m] for m in members],
                           model.vectoriser_.analyzer_.stem)
    return keywords, labels


def describe_themes(model, prep, fit_groups, X, tfidf, group_labels, group_sub,
                    segments, positions, named) -> list[Theme]:
    """Build the :class:`Theme` list of a fitted model; ``named`` is :func:`name_themes`'s."""
    k = len(model.centres_)
    if k == 0:
        return []
    fit_labels = group_labels[fit_groups]
    weight = prep.counts[fit_groups].astype(float)
    names = model.vectoriser_.tfidf_.get_feature_names_out()
    surface = model.vectoriser_.analyzer_.surface
    sizes = np.bincount(model.labels_[model.labels_ >= 0], minlength=k)
    by_segment = crosstab(model.labels_, segments, k)
    by_position = crosstab(model.labels_, positions, k)
    fit_texts = [prep.texts[j] for j in fit_groups]
    stem = model.vectoriser_.analyzer_.stem
    # Quotes are given as input rows too (the first row of each distinct answer), so a caller
    # can store references to answers rather than copies of their text.
    first_row = np.unique(prep.inverse, return_index=True)[1]
    quote_row = first_row[fit_groups]
    all_members = [np.flatnonzero(fit_labels == t) for t in range(k)]
    all_keywords, labels = named
    themes = []
    used = set(labels)  # labels are unique across the run, sub-themes included
    for t in range(k):
        members, keywords = all_members[t], all_keywords[t]
        in_theme = model.labels_ == t
        picked = members[select_quote_indices([fit_texts[i] for i in members], X[members],
                                              model.centres_[t], model.n_quotes,
                                              agrees=agrees_with(labels[t], stem))]
        theme = Theme(
            id=t, label=labels[t], keywords=keywords, size=int(sizes[t]),
            quotes=[fit_texts[i] for i in picked], quote_rows=[int(r) for r in quote_row[picked]],
            sentiment=_mean(model.sentiment_[in_theme]),
            sentiment_shares=shares(model.sentiment_class_[in_theme]) if sizes[t] else {},
            by_segment=by_segment[t], by_position=by_position[t],
        )
        if t in model.subcentres_:
            theme.subthemes = _describe_subthemes(
                model, t, members, X, tfidf, group_sub[fit_groups], weight, fit_texts,
                names, surface, segments, positions, in_theme, stem, quote_row, used)
            used |= {sub.label for sub in theme.subthemes}
        themes.append(theme)
    return themes


def _describe_subthemes(model, parent, members, X, tfidf, fit_sub, weight, fit_texts,
                        names, surface, segments, positions, in_theme, stem,
                        quote_row, taken) -> list[Theme]:
    centres = model.subcentres_[parent]
    m = len(centres)
    # Keywords that tell the sub-themes apart, scored within the parent theme only.
    scores = theme_term_scores(tfidf[members], fit_sub[members], m, weight[members])
    row_sub = np.where(in_theme, model.sublabels_, -1)
    sizes = np.bincount(row_sub[row_sub >= 0], minlength=m)
    by_segment = crosstab(row_sub, segments, m)
    by_position = crosstab(row_sub, positions, m)
    subs = []
    all_idx = [members[fit_sub[members] == s] for s in range(m)]
    all_keywords = [top_terms(scores[s], names, surface, model.n_keywords) for s in range(m)]
    labels = unique_labels(all_keywords, [[fit_texts[i] for i in idx[:LABEL_TEXTS]]
                                          for idx in all_idx], stem, taken=taken)
    for s in range(m):
        idx, keywords = all_idx[s], all_keywords[s]
        picked = idx[select_quote_indices([fit_texts[i] for i in idx], X[idx], centres[s],
                                          model.n_quotes, agrees=agrees_with(labels[s], stem))]
        subs.append(Theme(
            id=s, label=labels[s], keywords=keywords, size=int(sizes[s]),
            quotes=[fit_texts[i] for i in picked], quote_rows=[int(r) for r in quote_row[picked]],
            sentiment=_mean(model.sentiment_[row_sub == s]),
            sentiment_shares=shares(model.sentiment_class_[row_sub == s]) if sizes[s] else {},
            by_segment=by_segment[s], by_position=by_position[s], parent=parent,
        ))
    return subs
