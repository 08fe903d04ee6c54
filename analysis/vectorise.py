"""Vectorising: TF-IDF on stemmed word n-grams, then latent semantic analysis (LSA).

LSA (a truncated SVD of the TF-IDF matrix) maps answers that use related words ("wait",
"delay", "late") close together even when they share no word, and makes clustering fast.
Rows are L2-normalised so Euclidean k-means behaves as spherical (cosine) k-means.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .text import StemAnalyzer


class LSAVectoriser(TransformerMixin, BaseEstimator):
    """TF-IDF (sublinear tf, stemmed uni- and bi-grams) followed by truncated SVD.

    Parameters
    ----------
    n_components : int, default 150
        Dimensions kept by the SVD (fewer if the vocabulary is small).
    min_df : int, default 2
        Ignore n-grams found in fewer answers than this (when there are enough answers).
    max_df : float, default 0.5
        Ignore n-grams found in more than this share of answers.
    random_state : int, RandomState or None
        Seed for the randomised SVD.

    Attributes
    ----------
    tfidf_ : TfidfVectorizer
        The fitted TF-IDF step (its analyzer is a :class:`~analysis.text.StemAnalyzer`).
    svd_ : TruncatedSVD or None
        The fitted SVD, None when the vocabulary was too small to reduce.
    """

    def __init__(self, n_components=150, min_df=2, max_df=0.5, random_state=None):
        self.n_components = n_components
        self.min_df = min_df
        self.max_df = max_df
        self.random_state = random_state

    def fit(self, texts, y=None):
        """Learn vocabulary, IDF weights and the SVD from ``texts``."""
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        """Fit and return the normalised LSA vectors of ``texts``."""
        return self.fit_transform_both(texts)[0]

    def fit_transform_both(self, texts):
        """Fit; return ``(lsa_vectors, tfidf_matrix)`` so texts are tokenised only once."""
        texts = list(texts)
        self.analyzer_ = StemAnalyzer()
        min_df = self.min_df if len(texts) >= 20 * self.min_df else 1
        max_df = self.max_df if len(texts) >= 20 else 1.0
        self.tfidf_ = TfidfVectorizer(analyzer=self.analyzer_, sublinear_tf=True,
                                      min_df=min_df, max_df=max_df, dtype=np.float32)
        try:
            tfidf = self.tfidf_.fit_transform(texts)
        except ValueError:  # every n-gram pruned (e.g. all texts identical): keep them all
            self.tfidf_.set_params(min_df=1, max_df=1.0)
            try:
                tfidf = self.tfidf_.fit_transform(texts)
            except ValueError:  # no usable word at all ("A", "!!!"): nothing to learn
                self.tfidf_, self.svd_ = None, None
                return np.zeros((len(texts), 1), np.float32), sparse.csr_matrix((len(texts), 1))
        n_comp = min(self.n_components, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
        self.svd_ = None
        if n_comp >= 2:
            self.svd_ = TruncatedSVD(n_components=n_comp, algorithm="randomized", n_iter=5,
                                     random_state=self.random_state)
            self.svd_.fit(tfidf)
        return self.reduce(tfidf), tfidf

    def reduce(self, tfidf):
        """Project a TF-IDF matrix to normalised LSA vectors."""
        if self.svd_ is None:
            return normalize(tfidf.toarray()).astype(np.float32)
        return normalize(self.svd_.transform(tfidf)).astype(np.float32)

    def transform_tfidf(self, texts):
        """TF-IDF matrix (sparse) of ``texts`` in the fitted vocabulary."""
        if self.tfidf_ is None:
            return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
        return self.tfidf_.transform(texts)

    def transform(self, texts):
        """Normalised LSA vectors of ``texts`` (zero rows for texts with no known word)."""
        return self.reduce(self.transform_tfidf(texts))
