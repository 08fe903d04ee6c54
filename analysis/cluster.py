"""Clustering answers into themes, choosing how many themes there are.

Vectors are L2-normalised LSA vectors, so k-means on them is spherical k-means (cosine).
The number of themes is chosen by the mean cosine silhouette on a fixed-size sample, over a
grid of candidate counts; a facilitator can fix it instead.  Themes smaller than
``min_size`` are dissolved into their nearest neighbour, because a theme of two answers is
a quote, not a theme.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state


def candidate_counts(n_points: int, min_size: int, max_clusters: int) -> list[int]:
    """Grid of theme counts to try: roughly geometric from 2 up to the largest sensible."""
    upper = int(min(max_clusters, n_points // max(min_size, 1), n_points - 1))
    if upper < 2:
        return [1]
    grid = sorted({int(round(x)) for x in np.geomspace(2, upper, num=12)} | {upper})
    return [k for k in grid if 2 <= k <= upper]


class SphericalKMeans(ClusterMixin, BaseEstimator):
    """k-means on unit vectors with an automatic number of clusters.

    Parameters
    ----------
    n_clusters : int or None, default None
        Number of clusters; None chooses it by silhouette.
    min_size : int, default 5
        Clusters with fewer (weighted) members are merged into their nearest neighbour.
    max_clusters : int, default 40
        Largest count tried when choosing automatically.
    n_init : int, default 3
        k-means restarts (explicit, so scikit-learn's default change cannot alter results).
    sample_size : int, default 2000
        Points used to choose the count (clustered and scored for each candidate).
    tolerance : float, default 0.03
        The smallest count whose silhouette is within this of the best is chosen.
    random_state : int, RandomState or None

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
    cluster_centers_ : ndarray of shape (n_clusters_, n_features), unit rows
    n_clusters_ : int
    scores_ : dict
        Silhouette per candidate count (empty when the count was fixed).
    """

    def __init__(self, n_clusters=None, min_size=5, max_clusters=40, n_init=3,
                 sample_size=2000, tolerance=0.03, random_state=None):
        self.n_clusters = n_clusters
        self.min_size = min_size
        self.max_clusters = max_clusters
        self.n_init = n_init
        self.sample_size = sample_size
        self.tolerance = tolerance
        self.random_state = random_state

    def _kmeans(self, k, X, weight, seed, n_init=None):
        km = KMeans(n_clusters=k, n_init=n_init or self.n_init, random_state=seed)
        return km.fit(X, sample_weight=weight)

    def fit(self, X, y=None, sample_weight=None):
        """Cluster the rows of ``X`` (unit vectors); return self."""
        X = np.asarray(X, dtype=np.float32)
        weight = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, float)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        n_distinct = len(np.unique(X.round(4), axis=0)) if len(X) < 5000 else len(X)
        self.scores_ = {}
        if self.n_clusters is not None:
            k = int(min(self.n_clusters, n_distinct))
        else:
            k = self._choose_k(X, weight, n_distinct, seed)
        if k <= 1 or len(X) < 2:
            self.labels_ = np.zeros(len(X), dtype=np.int64)
            self.cluster_centers_ = normalize(np.average(X, axis=0, weights=weight)[None, :])
        else:
            km = self._kmeans(k, X, weight, seed)
            self.labels_ = km.labels_.astype(np.int64)
            self.cluster_centers_ = normalize(km.cluster_centers_)
            if self.n_clusters is None:
                self._dissolve_small(X, weight)
        self.n_clusters_ = len(self.cluster_centers_)
        return self

    def _choose_k(self, X, weight, n_distinct, seed):
        total = float(weight.sum())
        grid = candidate_counts(min(n_distinct, int(total)), self.min_size, self.max_clusters)
        if grid == [1]:
            return 1
        # Score candidates on a sample drawn in proportion to weight (duplicates count), so
        # the search costs the same for ten thousand answers as for a million.
        idx = np.arange(len(X))
        if len(X) > self.sample_size:
            rng = np.random.RandomState(seed)
            idx = rng.choice(len(X), self.sample_size, replace=False, p=weight / total)
        Xs, ws = X[idx], weight[idx] if len(X) <= self.sample_size else np.ones(len(idx))
        # Small samples are cheap to cluster several times and noisy with one start: there,
        # restarts keep a poor local optimum from deciding the number of themes.
        n_init = int(np.clip(1000 // max(len(Xs), 1), 1, self.n_init))
        for k in grid:
            if k >= len(Xs):
                break
            labels = self._kmeans(k, Xs, ws, seed, n_init=n_init).labels_
            if len(np.unique(labels)) < 2:
                continue
            self.scores_[k] = float(silhouette_score(Xs, labels, metric="cosine"))
        if not self.scores_:
            return 1
        # Prefer the fewest themes whose score is close to the best: a facilitator reads
        # fewer themes more easily, and a small change in the data moves the choice less.
        best = max(self.scores_.values())
        return min(k for k, v in self.scores_.items() if v >= best - self.tolerance)

    def _dissolve_small(self, X, weight):
        while True:
            sizes = np.bincount(self.labels_, weights=weight, minlength=len(self.cluster_centers_))
            small = np.flatnonzero(sizes < self.min_size)
            if len(small) == 0 or len(small) == len(sizes):
                break
            keep = np.setdiff1d(np.arange(len(sizes)), small[[np.argmin(sizes[small])]])
            self.cluster_centers_ = self.cluster_centers_[keep]
            self.labels_ = np.argmax(X @ self.cluster_centers_.T, axis=1)
            self.cluster_centers_ = _centres(X, self.labels_, weight, len(keep))

    def predict(self, X):
        """Nearest centre (by cosine) for each row of ``X``."""
        return np.argmax(np.asarray(X) @ self.cluster_centers_.T, axis=1)


def _centres(X, labels, weight, k):
    centres = np.zeros((k, X.shape[1]), dtype=np.float64)
    np.add.at(centres, labels, X * weight[:, None])
    return normalize(centres)
