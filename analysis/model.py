"""The theme model: texts in, themes and assignments out."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .assign import nearest, nearest_sub, size_order
from .cluster import SphericalKMeans, theme_tree
from .describe import describe_themes, fit_subthemes, name_themes
from .prepare import prepare
from .redact import Redactor
from .sampling import text_keys, weighted_sample
from .sentiment import (
    classes_from_probabilities,
    scores_from_probabilities,
    sentiment_probabilities,
)
from .sidecar import Sidecar, safeguarding_flags
from .vectorise import LSAVectoriser, WordVectoriser

#: Theme id of an empty text, a non-answer or a text with no known word.
NO_THEME = -1
#: Theme id from ``predict(..., novelty=True)`` of a real answer too far from every theme:
#: material for a new theme rather than for an old one.
FITS_NO_THEME = -2
# Answers less similar to their nearest theme than this share of the fitted answers were to
# their own theme fit no theme (see ``threshold_``).
NOVELTY_QUANTILE = 0.05


def _no_progress(step: str, fraction: float) -> None:
    return None


#: What placing answers needs: set by ``fit`` and by ``from_bytes``.
_PLACING = ("vectoriser_", "centres_", "subcentres_", "threshold_")
#: What the results (``to_dict``) need: set by ``fit`` only.
_RESULTS = ("labels_", "sublabels_", "themes_", "safeguarding_", "sentiment_", "theme_tree_")


def _similarity(X, centres, labels):
    """Cosine similarity of each row to its theme's centre (0 where unassigned)."""
    out = np.zeros(len(labels), dtype=np.float32)
    rows = np.flatnonzero(labels >= 0)
    out[rows] = np.einsum("ij,ij->i", X[rows], centres[labels[rows]])
    return out


class ThemeModel(BaseEstimator):
    """Find themes in free-text answers.

    Pipeline: redact personal data, normalise, set aside non-answers and group duplicates,
    TF-IDF on stemmed word n-grams, answer vectors (averaged word vectors learned from the
    answers with pretrained English word vectors beside them, or LSA), spherical k-means with
    an automatic number of themes, then label, quote, score sentiment and break each theme
    down by segment and position.

    Parameters
    ----------
    n_themes : int or None, default None
        Number of themes; None chooses it from the data: a clear gap in Ward's tree if the
        silhouette agrees, else the fewest themes whose silhouette is near the best.  When
        no count shows real structure (silhouette below 0.25, usual for short free text,
        where answers form a continuum) the size limits decide: at most ``max_themes``, at
        most the square root of half the answers, none smaller than ``min_theme_size``.
    random_state : int, RandomState or None, default None
        Seed; the same input and seed give the same themes.
    min_theme_size : int or None, default None
        Smallest automatic theme; None means 0.5% of the answers (at least 3).
    subthemes : bool, default True
        Split broad themes into sub-themes.
    max_themes : int, default 60
        Largest number of themes considered when choosing automatically; fewer are
        considered for small inputs (at most the square root of half the answers).
    n_components : int, default 100
        Dimensions of the answer vectors.
    n_keywords, n_quotes : int, default 8 and 5
        Keywords and quotes per theme.
    max_fit_samples : int, default 50000
        Distinct answers used to learn the themes; the rest are placed into them in chunks,
        which keeps memory bounded for very large inputs.
    chunk_size : int, default 20000
        Answers vectorised at a time when placing the rest.
    redact : bool, default True
        Redact personal data (:class:`~analysis.redact.Redactor`) before anything else, here
        and in ``transform``, ``predict`` and the other methods that read texts.  With False
        the texts are used as given: quotes, labels and keywords show them word for word, so
        give texts that are already redacted (as the web app does with its saved answers).
    vectors : {"words", "lsa"}, default "words"
        Answer vectors: "words" averages word vectors learned from the words' co-occurrence
        in the answers, and appends the answer's vector from pretrained English word vectors
        (:class:`~analysis.vectorise.WordVectoriser`, :mod:`analysis.pretrained`); "lsa" is latent
        semantic analysis of the TF-IDF matrix (:class:`~analysis.vectorise.LSAVectoriser`).
    n_jobs : int or None, default None
        1 keeps the whole fit in this process. Otherwise (None or any other number), with at
        least :data:`analysis.sidecar.MIN_TEXTS` texts and a second core, the safeguarding
        check, VADER's scores and the sentiment model's word and character n-grams run in one
        helper process (:mod:`analysis.sidecar`) while this one finds the themes. The results
        are the same either way.

    Attributes
    ----------
    labels_ : ndarray of int, shape (n_texts,)
        Theme id per input text; -1 for empty texts, non-answers and texts with no usable word.
    non_answer_ : ndarray of bool, shape (n_texts,)
        Texts that are empty or say nothing ("n/a", "no comment", or nothing but personal
        data).  The other texts with label -1 are real answers with no word the themes are
        built from (too short, or unlike all the others).
    sublabels_ : ndarray of int, shape (n_texts,)
        Sub-theme id within the text's theme, -1 when none.
    themes_ : list of Theme
        Themes ordered by size (id = position).
    scores_ : ndarray of float, shape (n_texts,)
        Cosine similarity of each text to its theme's centre (0 when unassigned): how
        typical the answer is of its theme.
    sentiment_ : ndarray of float, shape (n_texts,)
        Sentiment score per text in [-1, 1], higher is more positive (NaN for non-answers);
        see :mod:`analysis.sentiment`.
    sentiment_class_ : ndarray of int, shape (n_texts,)
        0 negative, 1 mixed, 2 positive (``analysis.sentiment.CLASSES``); -1 for non-answers.
    safeguarding_ : ndarray of bool, shape (n_texts,)
        Texts that use a safeguarding word, for review by a named person.
    vectoriser_ : WordVectoriser or LSAVectoriser
    centres_ : ndarray of shape (n_themes, n_components)
    subcentres_ : dict of {theme id: ndarray of shape (n_subthemes, n_components)}
    threshold_ : float
        Similarity below which ``predict(..., novelty=True)`` says an answer fits no theme:
        the 5th percentile of the fitted answers' similarity to their own theme.
    """

    def __init__(self, n_themes=None, random_state=None, min_theme_size=None, subthemes=True,
                 max_themes=60, n_components=100, n_keywords=8, n_quotes=5,
                 max_fit_samples=50_000, chunk_size=20_000, redact=True, vectors="words",
                 n_jobs=None):
        self.n_themes = n_themes
        self.random_state = random_state
        self.min_theme_size = min_theme_size
        self.subthemes = subthemes
        self.max_themes = max_themes
        self.n_components = n_components
        self.n_keywords = n_keywords
        self.n_quotes = n_quotes
        self.max_fit_samples = max_fit_samples
        self.chunk_size = chunk_size
        self.redact = redact
        self.vectors = vectors
        self.n_jobs = n_jobs

    def fit(self, texts, segments=None, positions=None, progress=None):
        """Learn themes from ``texts``.

        Parameters
        ----------
        texts : list of str
        segments : list of str or None, optional
            Respondent segment per text (e.g. "patient", "staff").
        positions : list of int or None, optional
            Trade-off position per text (-3..+3).
        progress : callable, optional
            Called as ``progress(step_name, fraction)`` between steps.

        Returns
        -------
        self
        """
        # The matrices here are tall and thin: multi-threaded BLAS spends more time
        # synchronising threads than computing (ten times the CPU on the SVD of 10k answers).
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(texts, segments, positions, progress)

    def _fit(self, texts, segments, positions, progress):
        helper = None
        if not isinstance(texts, str):
            texts = ["" if t is None else str(t) for t in texts]
            helper = Sidecar.start(len(texts), self.n_jobs)
        try:
            return self._fit_with(helper, texts, segments, positions, progress)
        finally:
            if helper is not None:
                helper.close()

    def _fit_with(self, helper, texts, segments, positions, progress):
        if isinstance(texts, str):
            raise TypeError("texts must be a list of strings, not one string")
        if self.vectors not in ("words", "lsa"):
            raise ValueError(f"vectors must be 'words' or 'lsa', got {self.vectors!r}")
        if self.n_themes is not None and int(self.n_themes) < 1:
            raise ValueError(f"n_themes must be a positive integer or None, got {self.n_themes}")
        texts = ["" if t is None else str(t) for t in texts]
        for name, extra in (("segments", segments), ("positions", positions)):
            if extra is not None and len(extra) != len(texts):
                raise ValueError(f"{name} has {len(extra)} items but texts has {len(texts)}")
        report = progress or _no_progress
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))

        report("Removing personal details", 0.0)
        prep = prepare(texts, Redactor() if self.redact else None)
        answers = np.flatnonzero(~prep.non_answer)
        answer_texts = [prep.texts[j] for j in answers]
        if helper is not None and not helper.send(texts, answer_texts):
            helper = None
        if helper is None:
            self.safeguarding_ = safeguarding_flags(texts)
        report("Finding words and phrases", 0.2)
        # Keys from the texts themselves: the same answers are sampled again when more
        # answers arrive, which keeps the themes stable.
        keys = text_keys(prep.texts, seed)
        fit_groups = answers[weighted_sample(keys[answers], prep.counts[answers],
                                             self.max_fit_samples)]
        vectoriser = {"words": WordVectoriser, "lsa": LSAVectoriser}[self.vectors]
        self.vectoriser_ = vectoriser(n_components=self.n_components, random_state=seed)
        fit_texts = [prep.texts[j] for j in fit_groups]
        X, tfidf = (self.vectoriser_.fit_transform_both(fit_texts) if len(fit_texts)
                    else (np.zeros((0, 1)), None))
        has_words = np.abs(X).sum(axis=1) > 0 if len(X) else np.zeros(0, bool)

        report("Grouping answers into themes", 0.4)
        n_answers = int(prep.counts[answers].sum())
        min_size = self.min_theme_size or max(3, int(round(0.005 * n_answers)))
        weight = prep.counts[fit_groups].astype(float)
        group_labels = np.full(len(prep.texts), -1, dtype=np.int64)
        group_sub = np.full(len(prep.texts), -1, dtype=np.int64)
        group_scores = np.zeros(len(prep.texts), dtype=np.float32)
        self.centres_ = np.zeros((0, X.shape[1]), dtype=np.float32)
        self.subcentres_ = {}
        if has_words.any():
            # Sizes seen by the clusterer are those of the fitting sample: scale to match.
            fit_min_size = min_size * weight.sum() / max(n_answers, 1)
            clusterer = SphericalKMeans(
                n_clusters=self.n_themes, min_size=fit_min_size,
                max_clusters=self.max_themes,
                continuum_clusters=min(self.max_themes, max(2, int(np.sqrt(n_answers / 2)))),
                random_state=seed,
            ).fit(X[has_words], sample_weight=weight[has_words],
                  sample_key=keys[fit_groups][has_words])
            # Label by the nearest final centre, exactly as predict() does, so predicting a
            # fitted answer gives back its theme; a centre left with no answer is dropped.
            centres = clusterer.cluster_centers_.astype(np.float32)
            fit_labels = nearest(X, centres)
            used = np.bincount(fit_labels[fit_labels >= 0], minlength=len(centres)) > 0
            if not used.all():
                centres = centres[used]
                fit_labels = nearest(X, centres)
            rank = size_order(fit_labels, weight, len(centres))  # theme 0 is the largest
            self.centres_ = np.empty_like(centres)
            self.centres_[rank] = centres
            fit_labels[fit_labels >= 0] = rank[fit_labels[fit_labels >= 0]]
            group_labels[fit_groups] = fit_labels
            group_scores[fit_groups] = _similarity(X, self.centres_, fit_labels)
            if self.subthemes:
                report("Splitting broad themes", 0.5)
                self.subcentres_ = fit_subthemes(X, fit_labels, weight, min_size, seed)
                group_sub[fit_groups] = nearest_sub(X, fit_labels, self.subcentres_)
        report("Placing the remaining answers", 0.6)
        self._assign_rest(prep, answers, fit_groups, group_labels, group_sub, group_scores)
        self.labels_ = group_labels[prep.inverse]
        self.scores_ = group_scores[prep.inverse]
        self.sublabels_ = group_sub[prep.inverse]
        self.non_answer_ = prep.non_answer[prep.inverse]

        # Themes are named before the helper's results are needed: it has that much longer to
        # finish its part.
        report("Labelling themes and choosing quotes", 0.7)
        named = name_themes(self, fit_texts, group_labels[fit_groups], tfidf, weight)
        report("Scoring sentiment", 0.8)
        found = helper.collect(len(texts), len(answers)) if helper is not None else None
        if found is None:
            if helper is not None:  # it failed: do its work here
                self.safeguarding_ = safeguarding_flags(texts)
            probs = sentiment_probabilities(answer_texts)
        else:
            self.safeguarding_, probs = found["safeguarding"], found["sentiment"]
        group_sentiment = np.full(len(prep.texts), np.nan)
        group_sentiment[answers] = scores_from_probabilities(probs)
        group_class = np.full(len(prep.texts), -1, dtype=np.int64)
        group_class[answers] = classes_from_probabilities(probs)
        self.sentiment_ = group_sentiment[prep.inverse]
        self.sentiment_class_ = group_class[prep.inverse]
        self.themes_ = describe_themes(self, prep, fit_groups, X, tfidf, group_labels,
                                       group_sub, segments, positions, named)
        placed = self.labels_ >= 0
        self.theme_tree_ = theme_tree(self.centres_, np.bincount(self.labels_[placed],
                                                                 minlength=len(self.centres_)))
        self.threshold_ = (float(np.quantile(self.scores_[placed], NOVELTY_QUANTILE))
                           if placed.any() else 0.0)
        # From here on the model only reads: transform and predict must not change it.
        if hasattr(self.vectoriser_, "analyzer_"):
            self.vectoriser_.analyzer_.track_surface = False
        report("Done", 1.0)
        return self

    def _assign_rest(self, prep, answers, fit_groups, group_labels, group_sub, group_scores):
        # Answers outside the fitting sample are placed chunk by chunk: bounded memory.
        rest = np.setdiff1d(answers, fit_groups)
        for start in range(0, len(rest), self.chunk_size):
            chunk = rest[start:start + self.chunk_size]
            X = self.vectoriser_.transform([prep.texts[j] for j in chunk])
            group_labels[chunk] = nearest(X, self.centres_)
            group_sub[chunk] = nearest_sub(X, group_labels[chunk], self.subcentres_)
            group_scores[chunk] = _similarity(X, self.centres_, group_labels[chunk])

    def transform(self, texts):
        """Cosine similarity of each text to each theme, shape (n_texts, n_themes).

        Rows of non-answers and texts with no known word are all zero.  Raises
        ``sklearn.exceptions.NotFittedError`` before :meth:`fit`, as do the other methods that
        need a fitted model.
        """
        check_is_fitted(self, _PLACING)
        prep = prepare(texts, Redactor() if self.redact else None)
        sims = np.zeros((len(prep.texts), len(self.centres_)), dtype=np.float32)
        answers = np.flatnonzero(~prep.non_answer)
        if len(answers) and len(self.centres_):
            with threadpool_limits(limits=1, user_api="blas"):
                X = self.vectoriser_.transform([prep.texts[j] for j in answers])
                sims[answers] = X @ self.centres_.T
        return sims[prep.inverse]

    def answer_vectors(self, texts):
        """Each text's answer vector in the fitted space, which texts have one, and how much of
        each text the model can see.

        Returns ``(X, usable, known)``: ``X`` of shape (n_texts, n_components) with unit rows,
        zero rows for non-answers and texts with no word the model knows; ``usable`` marks the
        non-zero rows; ``known`` is the share of each text's content words in the model's
        vocabulary (an answer about something new is mostly words the model never saw, and
        its vector shows only the few it knows).  Reads the model only, like
        :meth:`transform`: placing answers into themes a facilitator has edited starts here.
        """
        check_is_fitted(self, _PLACING)
        prep = prepare(texts, Redactor() if self.redact else None)
        X = np.zeros((len(prep.texts), self.centres_.shape[1]), dtype=np.float32)
        known = np.zeros(len(prep.texts), dtype=np.float32)
        answers = np.flatnonzero(~prep.non_answer)
        with threadpool_limits(limits=1, user_api="blas"):
            for start in range(0, len(answers), self.chunk_size):
                chunk = answers[start:start + self.chunk_size]
                chunk_texts = [prep.texts[j] for j in chunk]
                X[chunk] = self.vectoriser_.transform(chunk_texts)
                known[chunk] = self.vectoriser_.known_share(chunk_texts)
        X = X[prep.inverse]
        return X, np.abs(X).sum(axis=1) > 0, known[prep.inverse]

    def predict(self, texts, novelty=False):
        """Theme id for each text: the nearest theme, as in :meth:`fit`.

        -1 (:data:`NO_THEME`) for non-answers and texts with no known word.  With
        ``novelty``, an answer less similar to its nearest theme than ``threshold_`` gets -2
        (:data:`FITS_NO_THEME`): it does not fit any theme, and answers like it may make a
        new one.
        """
        sims = self.transform(texts)
        labels = np.argmax(sims, axis=1) if sims.shape[1] else np.zeros(len(sims), np.int64)
        labels = labels.astype(np.int64)
        if novelty and sims.shape[1]:
            labels[sims.max(axis=1) < self.threshold_] = FITS_NO_THEME
        labels[~(np.abs(sims).sum(axis=1) > 0)] = NO_THEME
        return labels

    def predict_subthemes(self, texts, labels=None):
        """Sub-theme id within each text's theme (-1 where the theme has no sub-themes).

        ``labels`` are the texts' themes (by default :meth:`predict`'s), so sub-themes can be
        given for answers a facilitator has moved.
        """
        check_is_fitted(self, _PLACING)
        labels = self.predict(texts) if labels is None else np.asarray(labels, dtype=np.int64)
        if not self.subcentres_:
            return np.full(len(labels), -1, dtype=np.int64)
        prep = prepare(texts, Redactor() if self.redact else None)
        X = np.zeros((len(prep.texts), self.centres_.shape[1]), dtype=np.float32)
        answers = np.flatnonzero(~prep.non_answer)
        if len(answers):
            with threadpool_limits(limits=1, user_api="blas"):
                X[answers] = self.vectoriser_.transform([prep.texts[j] for j in answers])
        return nearest_sub(X[prep.inverse], labels, self.subcentres_)

    def to_bytes(self) -> bytes:
        """The fitted model as bytes (plain arrays, no pickle): keep it with the run."""
        check_is_fitted(self, _PLACING)
        from .persist import model_to_bytes

        return model_to_bytes(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeModel:
        """A model saved by :meth:`to_bytes`, ready to ``transform`` and ``predict``."""
        from .persist import model_from_bytes

        return model_from_bytes(data)

    def predict_scores(self, texts):
        """Similarity of each text to its predicted theme (0 for unassigned texts)."""
        sims = self.transform(texts)
        return sims.max(axis=1) if sims.shape[1] else np.zeros(len(sims))

    def to_dict(self) -> dict:
        """JSON-serialisable result: themes and one assignment per input text."""
        check_is_fitted(self, _RESULTS)
        return {
            "n_themes": len(self.themes_),
            "themes": [t.to_dict() for t in self.themes_],
            "assignments": [None if x < 0 else int(x) for x in self.labels_],
            "subtheme_assignments": [None if x < 0 else int(x) for x in self.sublabels_],
            "safeguarding": [int(i) for i in np.flatnonzero(self.safeguarding_)],
            "sentiment": [None if np.isnan(x) else round(float(x), 4) for x in self.sentiment_],
            "theme_tree": [list(m) for m in self.theme_tree_],
        }
