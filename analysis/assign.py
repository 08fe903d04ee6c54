"""Placing answer vectors into themes and sub-themes by cosine similarity to their centres."""

from __future__ import annotations

import numpy as np


def nearest(X, centres) -> np.ndarray:
    """Index of the most similar centre per row; -1 for rows with no usable word (zero)."""
    labels = np.full(len(X), -1, dtype=np.int64)
    if len(centres) and len(X):
        usable = np.abs(X).sum(axis=1) > 0
        labels[usable] = np.argmax(X[usable] @ centres.T, axis=1)
    return labels


def nearest_sub(X, labels, subcentres: dict) -> np.ndarray:
    """Sub-theme per row within its theme (``subcentres[theme]``); -1 where none."""
    sub = np.full(len(labels), -1, dtype=np.int64)
    for theme, centres in subcentres.items():
        rows = np.flatnonzero(labels == theme)
        if len(rows):
            sub[rows] = np.argmax(X[rows] @ centres.T, axis=1)
    return sub


def size_order(labels, weight, k: int) -> np.ndarray:
    """New id per cluster so that 0 is the largest (ties broken by old id): ``new[old]``.

    Ordering by size makes ids meaningful and the same across runs that agree.
    """
    keep = labels >= 0
    sizes = np.bincount(labels[keep], weights=weight[keep], minlength=k)
    order = np.lexsort((np.arange(k), -sizes))
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    return rank
