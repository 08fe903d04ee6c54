"""Vectorising: TF-IDF on stemmed word n-grams, then a dense vector per answer.

Two ways to make the dense vectors, both learned from the answers themselves (no download):

* :class:`WordVectoriser` (the default): word vectors from the words' co-occurrence in the
  answers (positive pointwise mutual information, reduced by SVD), averaged over each answer.
  Short answers share few words; word vectors put "wait", "delay" and "late" close together
  because people use them with the same other words, so two answers about the same thing are
  close even when they have no word in common.
* :class:`LSAVectoriser`: latent semantic analysis (a truncated SVD of the TF-IDF matrix).

The TF-IDF matrix (uni- and bigrams) is kept for labelling themes.  Rows are L2-normalised so
Euclidean k-means behaves as spherical (cosine) k-means.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .pretrained import answer_vectors
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
        self._fit_reduction(tfidf)
        return self._reduce_fitted(tfidf, texts), tfidf

    def _reduce_fitted(self, tfidf, texts):
        """:meth:`reduce` for the texts just fitted (a subclass may learn from them here)."""
        return self.reduce(tfidf, texts)

    def _fit_reduction(self, tfidf):
        n_comp = min(self.n_components, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
        self.svd_ = None
        if n_comp >= 2:
            self.svd_ = TruncatedSVD(n_components=n_comp, algorithm="randomized", n_iter=5,
                                     random_state=self.random_state)
            self.svd_.fit(tfidf)

    def reduce(self, tfidf, texts=None):
        """Project a TF-IDF matrix (of ``texts``) to normalised LSA vectors."""
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
        return self.reduce(self.transform_tfidf(texts), texts)

    def known_share(self, texts) -> np.ndarray:
        """Share of each text's distinct content words that are in the fitted vocabulary (0 for a
        text with none): how much of what it says the vectors can see."""
        out = np.zeros(len(texts), dtype=np.float32)
        if self.tfidf_ is None:
            return out
        vocabulary = getattr(self.tfidf_, "vocabulary_", None) or self.tfidf_.vocabulary
        # A kept model looks terms up by their hash (analysis.persist).
        key = getattr(self.tfidf_.analyzer, "key", None) or (lambda term: term)
        for i, text in enumerate(texts):
            words = {f for f in self.analyzer_(text) if " " not in f}
            if words:
                out[i] = sum(key(w) in vocabulary for w in words) / len(words)
        return out


class WordVectoriser(LSAVectoriser):
    """TF-IDF (as :class:`LSAVectoriser`), then averaged word vectors learned from the answers.

    Word vectors: the words' co-occurrence within answers (each answer weighted so that a long
    answer counts as much as a short one) as positive pointwise mutual information (PPMI,
    with the context distribution smoothed by the power 0.75), reduced by a
    truncated SVD and weighted by the square root of the singular values, as in Levy, Goldberg
    and Dagan (2015), "Improving distributional similarity with lessons learned from word
    embeddings".  An answer's vector is the average of its words' vectors, each word counted
    by its sublinear term frequency (a word's vector length already reflects how informative
    it is, so no IDF weight is applied).  A negated word ("not_listen") counts as its plain
    word: it says what the answer is about, and sentiment is scored separately.  LSA vectors
    are appended at ``lsa_weight``: word vectors of rare words move when answers are added,
    and the LSA part, dominated by common words, keeps themes steadier.  Then vectors from
    word vectors learnt elsewhere (:mod:`analysis.pretrained`, GloVe) are appended at
    ``pretrained_weight``: they know that words are alike before any answer is read, which the
    answers' own vectors cannot when there are few answers.

    Parameters
    ----------
    n_components : int, default 100
        Word-vector dimensions, and LSA dimensions (fewer if the vocabulary is small).
    min_df, max_df, random_state
        As for :class:`LSAVectoriser`.
    min_word_df : int, default 3
        Words in fewer answers get no vector: their co-occurrences are too few to place them
        (ignored when there are fewer than ``20 * min_word_df`` answers).
    max_words : int, default 20000
        Word vectors are learned for at most this many of the most common words, which bounds
        the co-occurrence matrix; rarer words are left out of the answer vectors.
    lsa_weight : float, default 0.5
        Weight of the appended LSA vectors (0 for word vectors alone).
    pretrained_weight : float, default 1.0
        Weight of the appended vectors from :mod:`analysis.pretrained`, against the answers'
        own (word vectors and LSA, together of unit length); 0 for none.

    Attributes
    ----------
    tfidf_, analyzer_, svd_
        As for :class:`LSAVectoriser` (``svd_`` is None when ``lsa_weight`` is 0).
    words_ : ndarray of int
        The single-word columns of the TF-IDF matrix.
    fold_ : sparse matrix of shape (len(words_), n_vectors)
        Maps each of those words to its word vector (a negated word to its plain word's);
        all-zero rows for words too rare to have one.
    word_vectors_ : ndarray of shape (n_vectors, n_components) or None
        None when the vocabulary was too small to learn vectors (TF-IDF rows are used).
    pretrained_mean_ : ndarray of shape (pretrained dimensions,) or None
        The mean pretrained vector of the fitted answers, taken off each answer's (None when
        ``pretrained_weight`` is 0).
    """

    def __init__(self, n_components=100, min_df=2, max_df=0.5, min_word_df=3,
                 max_words=20_000, lsa_weight=0.5, pretrained_weight=1.0, random_state=None):
        super().__init__(n_components=n_components, min_df=min_df, max_df=max_df,
                         random_state=random_state)
        self.min_word_df = min_word_df
        self.max_words = max_words
        self.lsa_weight = lsa_weight
        self.pretrained_weight = pretrained_weight

    def _fit_reduction(self, tfidf):
        super()._fit_reduction(tfidf)
        if not self.lsa_weight:
            self.svd_ = None
        names = self.tfidf_.get_feature_names_out()
        words = np.flatnonzero([" " not in name for name in names])
        self.words_ = words
        # A negated word counts as the word itself: "not listened" is about listening.
        self.fold_ = negation_fold(names[words])
        present = (_counts(tfidf[:, words], self.tfidf_.idf_[words]) @ self.fold_) > 0
        df = np.asarray(present.sum(axis=0)).ravel()
        keep = np.arange(len(df))
        if present.shape[0] >= 20 * self.min_word_df:
            keep = np.flatnonzero(df >= self.min_word_df)
        if len(keep) > self.max_words:
            keep = np.sort(keep[np.argsort(-df[keep], kind="stable")[: self.max_words]])
        self.fold_ = sparse.csr_matrix(self.fold_[:, keep])
        self.word_vectors_ = None
        n_comp = min(self.n_components, len(keep) - 1)
        if n_comp < 2:
            return
        self.word_vectors_ = ppmi_word_vectors(present[:, keep], n_comp, self.random_state)

    def _reduce_fitted(self, tfidf, texts):
        pretrained = answer_vectors(texts) if self.pretrained_weight else None
        self.pretrained_mean_ = None
        if pretrained is not None:
            # What every answer's pretrained vector shares: summed over many words, a long
            # answer's vector drifts towards the average of all words people use, so long
            # answers on different things came out alike, one theme of them (the largest on the
            # tuning half, 244 answers, labelled "Getting, right"). Taken off each answer's, as
            # smooth inverse frequency's common component is (Arora, Liang and Ma 2017).
            has = np.abs(pretrained).sum(axis=1) > 0
            self.pretrained_mean_ = (pretrained[has].mean(axis=0) if has.any()
                                     else np.zeros(pretrained.shape[1], np.float32))
        return self._vectors(tfidf, pretrained)

    def reduce(self, tfidf, texts=None):
        """Average word vectors of the rows of a TF-IDF matrix (of ``texts``), normalised, and
        the pretrained vectors of ``texts`` when ``pretrained_weight`` is set."""
        if self.pretrained_weight and texts is None:
            raise ValueError("The pretrained vectors need the texts as well as their TF-IDF.")
        return self._vectors(tfidf, answer_vectors(texts) if self.pretrained_weight else None)

    def _vectors(self, tfidf, pretrained):
        """The answer vectors from a TF-IDF matrix and, if given, the same texts' pretrained
        vectors (:func:`analysis.pretrained.answer_vectors`)."""
        if self.tfidf_ is None:
            return super().reduce(tfidf)
        if self.word_vectors_ is None:
            X = super().reduce(tfidf)
        else:
            counts = _counts(tfidf[:, self.words_], self.tfidf_.idf_[self.words_]) @ self.fold_
            X = normalize(np.asarray(counts @ self.word_vectors_))
            if self.svd_ is not None:
                X = np.hstack([X, self.lsa_weight * normalize(self.svd_.transform(tfidf))])
            X = normalize(X)
        if pretrained is not None:
            # Only for a text with a word of the fitted vocabulary: one with none ("Zeppelins
            # overhead" among answers about parking) stays unplaced, "too unlike the others".
            has = (np.abs(pretrained).sum(axis=1) > 0) & (np.abs(X).sum(axis=1) > 0)
            pretrained = np.where(has[:, None], normalize(pretrained - self.pretrained_mean_), 0)
            X = normalize(np.hstack([X, self.pretrained_weight * pretrained]))
        return X.astype(np.float32)


def negation_fold(names) -> sparse.csr_matrix:
    """Binary matrix mapping each word to itself, or a negated word ("not_wait") to its word.

    Shape ``(len(names), len(names))``; a negated word whose plain word is not in ``names``
    keeps its own column.  For grouping answers by what they are about, "not listened to"
    and "listened to" share a topic (sentiment is scored separately).
    """
    names = [str(n) for n in names]
    index = {name: i for i, name in enumerate(names)}
    target = np.array([index.get(n[4:], i) if n.startswith("not_") else i
                       for i, n in enumerate(names)], dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(names), np.float32), (np.arange(len(names)), target)),
                             shape=(len(names), len(names)))


def _counts(tfidf, idf):
    """Sublinear term frequencies (up to a factor per row) from TF-IDF columns and their IDF."""
    return sparse.csr_matrix(tfidf.multiply(1.0 / idf[None, :]), dtype=np.float32)


def cooccurrence(present, length_weighting=True) -> sparse.csr_matrix:
    """Word x word co-occurrence weights from an answer x word matrix (non-zero = present).

    With ``length_weighting`` an answer of ``n`` words adds ``1 / (n - 1)`` to each of its
    pairs: each of its words spreads one unit of weight over its companions, so a long answer
    (many pairs, often on several topics) counts for its words, not for the square of its
    length.  Without it every pair in every answer adds 1.  The diagonal holds each word's
    own total and is ignored by :func:`ppmi_word_vectors`.
    """
    present = sparse.csr_matrix(present, dtype=np.float32)
    present.data[:] = 1.0
    n_words_in = np.asarray(present.sum(axis=1)).ravel()
    share = (1.0 / np.maximum(n_words_in - 1.0, 1.0) if length_weighting
             else np.ones(len(n_words_in))).astype(np.float32)
    return sparse.csr_matrix(present.T @ sparse.diags(share) @ present)


def ppmi_word_vectors(present, n_components, random_state=None, smoothing=0.75,
                      length_weighting=True):
    """Word vectors from a binary answer x word matrix: SVD of the words' PPMI matrix.

    Two words co-occur when they are in one answer, weighted as in :func:`cooccurrence`.
    Returns ``U * sqrt(S)`` of the truncated SVD, shape ``(n_words, n_components)``.
    """
    co = cooccurrence(present, length_weighting).tocoo()
    off = co.row != co.col
    rows, cols, vals = co.row[off], co.col[off], co.data[off].astype(np.float64)
    total = vals.sum()
    n_words = co.shape[1]
    if total <= 0:
        return np.zeros((n_words, n_components), dtype=np.float32)
    word_p = np.bincount(rows, weights=vals, minlength=n_words) / total
    context = np.bincount(cols, weights=vals, minlength=n_words) ** smoothing
    context_p = context / context.sum()
    pmi = np.log(vals / total / (word_p[rows] * context_p[cols]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (rows[keep], cols[keep])), shape=(n_words, n_words))
    svd = TruncatedSVD(n_components=n_components, algorithm="randomized", n_iter=15,
                       random_state=random_state)
    scaled = svd.fit_transform(ppmi)  # U * S
    return (scaled / np.sqrt(np.maximum(svd.singular_values_, 1e-12))).astype(np.float32)
