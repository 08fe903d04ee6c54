"""Agreement measures: with human codes (NMI, ARI) and between two runs (stability)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix


def agreement(true_codes, labels) -> dict:
    """NMI and ARI between human codes and theme labels (-1 counts as its own group)."""
    return {
        "nmi": float(normalized_mutual_info_score(true_codes, labels)),
        "ari": float(adjusted_rand_score(true_codes, labels)),
    }


def stay_together(before, after) -> float:
    """Share of pairs of answers in one theme ``before`` that are still in one theme ``after``.

    Answers without a theme (-1) in either run are left out.  1.0 means no theme was split;
    it does not penalise merges, so report it alongside the number of themes.
    """
    before, after = np.asarray(before), np.asarray(after)
    keep = (before >= 0) & (after >= 0)
    if keep.sum() < 2:
        return 1.0
    table = contingency_matrix(before[keep], after[keep], sparse=True)
    together_both = (table.data * (table.data - 1) / 2).sum()
    sizes = np.asarray(table.sum(axis=1)).ravel()
    together_before = (sizes * (sizes - 1) / 2).sum()
    return float(together_both / together_before) if together_before else 1.0


def matched_themes(before, after, threshold: float = 0.5) -> float:
    """Share of ``before`` themes that have a counterpart in ``after``.

    A counterpart is an ``after`` theme whose members overlap the earlier theme's with a
    Jaccard index of at least ``threshold`` (computed on the answers present in both runs).
    This is the facilitator's view of stability: "is my theme still there?".
    """
    before, after = np.asarray(before), np.asarray(after)
    keep = (before >= 0) & (after >= 0)
    if not keep.any():
        return 1.0
    table = contingency_matrix(before[keep], after[keep])
    rows, cols = table.sum(axis=1, keepdims=True), table.sum(axis=0, keepdims=True)
    jaccard = table / (rows + cols - table)
    return float((jaccard.max(axis=1) >= threshold).mean())
