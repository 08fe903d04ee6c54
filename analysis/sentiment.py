"""Sentiment per answer: a small model trained on people's judgements of NHS feedback.

A lexicon alone (VADER) reads "things are too slow" as neutral-to-positive and agrees with
human coders on only about half of patient comments.  The shipped model is a logistic
regression over TF-IDF word uni/bigrams and character 2-5-grams, with VADER's four scores as
extra features, trained on the human ``Comment sentiment`` codes of the pxtextmining
development data (see ``analysis/models/README.md`` for the data, licence and accuracy;
``benchmarks/train_sentiment.py`` retrains it).

The model is stored as plain arrays (vocabularies, IDF weights, coefficients) in an ``.npz``
file loaded with ``allow_pickle=False``: loading it never runs code.  If the file is missing,
VADER's compound score is used instead.  VADER's scores stay as features although 5-fold
cross-validation on the tuning half gives 0.810 without them against 0.803 with them: without
them, plain complaints outside the development data's words ("Staff were rude and I was
ignored") read as positive, and the lexicon is what carries such words to new data.

Scores run from -1 (negative) to +1 (positive): P(positive) - P(negative).  Each answer is
also put in one of three classes, "negative", "mixed" or "positive", the most probable one.
"""

from __future__ import annotations

import re
from array import array
from functools import lru_cache
from pathlib import Path

import numpy as np

from .language import looks_welsh

CLASSES = ("negative", "mixed", "positive")
MODEL_FILE = Path(__file__).resolve().parent / "models" / "sentiment.npz"
# VADER's compound score beyond these counts as positive / negative in the fallback.
_VADER_BAND = 0.05


@lru_cache(maxsize=1)
def _vader():
    # Built on first use, not at import: loading the lexicon takes a moment.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_features(texts) -> np.ndarray:
    """VADER's compound, positive, negative and neutral scores per text, shape (n, 4)."""
    out = np.zeros((len(texts), 4))
    for i, text in enumerate(texts):
        if text and text.strip():
            s = _polarity_scores(text)
            out[i] = (s["compound"], s["pos"], s["neg"], s["neu"])
    return out


def _polarity_scores(text: str) -> dict:
    """``SentimentIntensityAnalyzer().polarity_scores(text)``: the same numbers in less time.

    vaderSentiment 3.3.2 (MIT licence, C.J. Hutto) lower-cases every word of the answer again
    for each check around each lexicon word, and copies the answer a character at a time to
    find emojis. Here each word is lower-cased once, and an all-ASCII answer skips the emoji
    pass (the emoji lexicon has no ASCII key). The rules, their order and every arithmetic step
    are VADER's own, and answers with any other character go to VADER itself.
    tests/analysis/test_sentiment.py compares the two.
    """
    analyzer = _vader()
    if not text.isascii():
        return analyzer.polarity_scores(text)
    from vaderSentiment import vaderSentiment as v

    text = text.strip()
    senti = v.SentiText(text)
    words, cap_diff = senti.words_and_emoticons, senti.is_cap_diff
    lower = [w.lower() for w in words]
    lexicon, boosters, last = analyzer.lexicon, v.BOOSTER_DICT, len(words) - 1
    sentiments = []
    for i, item_lower in enumerate(lower):
        if item_lower in boosters or (i < last and item_lower == "kind" and lower[i + 1] == "of"):
            sentiments.append(0)
            continue
        sentiments.append(_valence(v, lexicon, words, lower, i, cap_diff)
                          if item_lower in lexicon else 0)
    if "but" in lower:
        sentiments = analyzer._but_check(words, sentiments)
    return analyzer.score_valence(sentiments, text)


def _valence(v, lexicon, words, lower, i, cap_diff):
    """VADER's ``sentiment_valence`` for a lexicon word, with the words lower-cased once."""
    item, item_lower = words[i], lower[i]
    valence = lexicon[item_lower]
    if item_lower == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
        valence = 0.0
    if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") \
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ["or", "nor"]):
        valence = lexicon[item_lower] * v.N_SCALAR
    if item.isupper() and cap_diff:
        if valence > 0:
            valence += v.C_INCR
        else:
            valence -= v.C_INCR
    for start_i in range(0, 3):
        if i > start_i and lower[i - (start_i + 1)] not in lexicon:
            s = v.scalar_inc_dec(words[i - (start_i + 1)], valence, cap_diff)
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation_check(v, valence, lower, start_i, i)
            if start_i == 2:
                valence = v.SentimentIntensityAnalyzer._special_idioms_check(valence, lower, i)
    # VADER's _least_check
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * v.N_SCALAR
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence = valence * v.N_SCALAR
    return valence


@lru_cache(maxsize=1)
def _negations():
    from vaderSentiment import vaderSentiment as v

    return frozenset(v.NEGATE)


def _negated(word: str) -> bool:
    """VADER's ``negated([word])`` for a lower-case word."""
    return word in _negations() or "n't" in word


def _negation_check(v, valence, lower, start_i, i):
    """VADER's ``_negation_check`` on words already lower-cased."""
    if start_i == 0:
        if _negated(lower[i - (start_i + 1)]):
            valence = valence * v.N_SCALAR
    if start_i == 1:
        if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            valence = valence
        elif _negated(lower[i - (start_i + 1)]):
            valence = valence * v.N_SCALAR
    if start_i == 2:
        if lower[i - 3] == "never" and (lower[i - 2] == "so" or lower[i - 2] == "this") or \
                (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            valence = valence
        elif _negated(lower[i - (start_i + 1)]):
            valence = valence * v.N_SCALAR
    return valence


class SentimentModel:
    """Three-way sentiment (negative / mixed / positive) from words, characters and VADER.

    Build one with :meth:`fit` (training) or :meth:`load` (the shipped file); both give the
    same object, rebuilt from plain arrays.
    """

    WORD_NGRAMS = (1, 2)
    CHAR_NGRAMS = (2, 5)

    def __init__(self, word_vocabulary, word_idf, char_vocabulary, char_idf, coef, intercept):
        self.word_vocabulary = np.asarray(word_vocabulary, dtype=str)
        self.word_idf = np.asarray(word_idf, dtype=np.float64)
        self.char_vocabulary = np.asarray(char_vocabulary, dtype=str)
        self.char_idf = np.asarray(char_idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self._word_index = {str(t): i for i, t in enumerate(self.word_vocabulary)}
        self._char_index = {str(g): i for i, g in enumerate(self.char_vocabulary)}

    @classmethod
    def fit(cls, texts, classes, C: float = 3.0, min_df: int = 2) -> SentimentModel:
        """Train on ``texts`` and their classes ("negative", "mixed", "positive")."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts = [_clean(t) for t in texts]
        word = TfidfVectorizer(ngram_range=cls.WORD_NGRAMS, sublinear_tf=True, min_df=min_df)
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=cls.CHAR_NGRAMS,
                               sublinear_tf=True, min_df=min_df)
        word.fit(texts)
        char.fit(texts)
        vocab = lambda v: sorted(v.vocabulary_, key=v.vocabulary_.get)  # noqa: E731
        model = cls(vocab(word), word.idf_, vocab(char), char.idf_,
                    np.zeros((len(CLASSES), 1)), np.zeros(len(CLASSES)))
        X = model._features(texts)
        y = np.array([CLASSES.index(c) for c in classes])
        lr = LogisticRegression(C=C, max_iter=5000).fit(X, y)
        model.coef, model.intercept = lr.coef_, lr.intercept_
        return model

    def _features(self, texts):
        from scipy import sparse

        return sparse.hstack([self._word_tfidf(texts), self._char_tfidf(texts),
                              sparse.csr_matrix(vader_features(texts))]).tocsr()

    def _word_tfidf(self, texts):
        """What ``TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True)`` with the stored
        vocabulary and IDF gives, from :func:`word_gram_columns`."""
        indices, indptr = word_gram_columns(self._word_index, texts)
        return _sublinear_tfidf(indices, indptr, len(texts), self.word_idf)

    def _char_tfidf(self, texts):
        """What ``TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)``
        with the stored vocabulary and IDF gives, found word by word. A char_wb n-gram never
        reaches past its word, and answers say the same words again and again, so each word's
        n-grams are looked up once (0.41 s instead of 1.06 s at 10,000 answers)."""
        indices, indptr = char_gram_columns(self._char_index, texts)
        return _sublinear_tfidf(indices, indptr, len(texts), self.char_idf)

    def probabilities(self, texts) -> np.ndarray:
        """P(negative), P(mixed), P(positive) per text, shape (n, 3)."""
        texts = [_clean(t) for t in texts]
        if not texts:
            return np.zeros((0, len(CLASSES)))
        logits = (np.asarray(self._features(texts) @ self.coef.T)
                  + self.intercept)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def save(self, path) -> None:
        np.savez_compressed(path, word_vocabulary=self.word_vocabulary, word_idf=self.word_idf,
                            char_vocabulary=self.char_vocabulary, char_idf=self.char_idf,
                            coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float32))

    @classmethod
    def load(cls, path=MODEL_FILE) -> SentimentModel:
        with np.load(path, allow_pickle=False) as f:
            return cls(f["word_vocabulary"], f["word_idf"], f["char_vocabulary"], f["char_idf"],
                       f["coef"], f["intercept"])


def _sublinear_tfidf(indices, indptr, n_rows, idf):
    """Rows of n-gram columns (one entry per occurrence) as scikit-learn's TfidfVectorizer
    (``sublinear_tf=True``, L2 norm) weighs them: the same operations in the same order."""
    from scipy import sparse

    counts = sparse.csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int64),
                                np.asarray(indptr, dtype=np.int64)), shape=(n_rows, len(idf)))
    counts.sum_duplicates()  # also sorts each row's columns, as scikit-learn's counts are
    counts.data = (np.log(counts.data) + 1.0) * idf[counts.indices]
    _normalise_rows(counts)
    return counts


def _normalise_rows(matrix) -> None:
    """Scale each row of a CSR matrix to unit length, in place, as scikit-learn's
    ``normalize(matrix, norm="l2")`` does it (its Cython loop: each row's squares added in
    order from zero, then each entry divided by the root), so the numbers are the same bit for
    bit, without importing scikit-learn (the helper process of a fit does not load it)."""
    from scipy import sparse

    # The squares on the same rows (the column indices are shared, not copied): a sparse matrix
    # times a vector of ones adds each row's entries in order, from zero.
    squared = sparse.csr_matrix((matrix.data * matrix.data, matrix.indices, matrix.indptr),
                                shape=matrix.shape)
    norms = np.sqrt(squared @ np.ones(matrix.shape[1]))
    norms[norms == 0.0] = 1.0  # an empty row stays empty
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))


# scikit-learn's default token_pattern
_WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def word_gram_columns(index: dict, texts) -> tuple[array, list[int]]:
    """The columns of each text's word uni- and bigrams (those in ``index``), as CSR ``indices``
    and ``indptr``, one entry per occurrence: scikit-learn's word analyzer (lower case,
    ``token_pattern``, n-grams joined by a space) without its per-text overhead."""
    indptr, indices = [0], array("i")
    get = index.get
    for text in texts:
        tokens = _WORD_TOKEN.findall(text.lower())
        for gram in tokens:
            column = get(gram)
            if column is not None:
                indices.append(column)
        for first, second in zip(tokens, tokens[1:], strict=False):
            column = get(f"{first} {second}")
            if column is not None:
                indices.append(column)
        indptr.append(len(indices))
    return indices, indptr


def char_gram_columns(index: dict, texts) -> tuple[array, list[int]]:
    """The columns of each text's character n-grams (those in ``index``), as CSR ``indices`` and
    ``indptr``: one entry per occurrence, each word's n-grams found once."""
    by_word: dict = {}
    indptr, indices = [0], array("i")  # 4 bytes a column, not a Python int: 20 M at 100,000 answers
    shortest, longest = SentimentModel.CHAR_NGRAMS
    for text in texts:
        for word in text.lower().split():
            found = by_word.get(word)
            if found is None:
                found = by_word[word] = [index[g] for g in _char_wb_ngrams(word, shortest, longest)
                                         if g in index]
            indices.extend(found)
        indptr.append(len(indices))
    return indices, indptr


def _char_wb_ngrams(word: str, shortest: int, longest: int) -> list[str]:
    """scikit-learn's char_wb n-grams of one word: padded with a space each side, each length from
    ``shortest`` to ``longest``, a word shorter than a length counted once whole."""
    padded = f" {word} "
    grams = []
    for n in range(shortest, longest + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def _clean(text) -> str:
    return "" if text is None else str(text)


@lru_cache(maxsize=1)
def shipped_model() -> SentimentModel | None:
    """The model shipped with the package, or None if its file is missing (VADER is used)."""
    try:
        return SentimentModel.load(MODEL_FILE)
    except (OSError, KeyError, ValueError):
        return None


def sentiment_probabilities(texts) -> np.ndarray:
    """P(negative), P(mixed), P(positive) per text, shape (n, 3); empty text is all mixed.

    A text in Welsh is not scored: its row is NaN. The model and VADER know English only, and read
    "Mae parcio yn yr ysbyty yn ofnadwy" ("... is awful") as positive."""
    texts = [_clean(t) for t in texts]
    welsh = np.fromiter((looks_welsh(t) for t in texts), dtype=bool, count=len(texts))
    probs = _english_probabilities(texts)
    probs[welsh] = np.nan
    return probs


def _english_probabilities(texts) -> np.ndarray:
    model = shipped_model()
    if model is not None:
        probs = model.probabilities(texts)
    else:
        compound = vader_features(texts)[:, 0]
        probs = np.zeros((len(texts), 3))
        probs[np.arange(len(texts)), 1 + np.sign(np.where(
            np.abs(compound) > _VADER_BAND, compound, 0)).astype(int)] = 1.0
    empty = np.array([not t.strip() for t in texts], dtype=bool)
    probs[empty] = (0.0, 1.0, 0.0)
    return probs


def scores_from_probabilities(probs) -> np.ndarray:
    """Score in [-1, 1]: P(positive) - P(negative)."""
    probs = np.asarray(probs).reshape(-1, 3)
    return np.clip(probs[:, 2] - probs[:, 0], -1.0, 1.0)


def classes_from_probabilities(probs) -> np.ndarray:
    """Index into :data:`CLASSES` of the most probable class per text; -1 for a text not scored."""
    probs = np.asarray(probs).reshape(-1, 3)
    classes = np.nan_to_num(probs, nan=0.0).argmax(axis=1)
    classes[np.isnan(probs).any(axis=1)] = -1
    return classes


def sentiment_scores(texts) -> np.ndarray:
    """Sentiment score in [-1, 1] per text (higher is more positive; 0 for empty text, NaN for
    a text not scored)."""
    return scores_from_probabilities(sentiment_probabilities(list(texts)))


def sentiment_score(text: str) -> float:
    """Sentiment score in [-1, 1] of one text."""
    return float(sentiment_scores([text])[0])


def sentiment_classes(texts) -> list[str | None]:
    """"negative", "mixed" or "positive" per text; None for a text not scored (in Welsh)."""
    probs = sentiment_probabilities(list(texts))
    return [CLASSES[i] if i >= 0 else None for i in classes_from_probabilities(probs)]


def shares(class_indices) -> dict:
    """Share of the scored answers in each class: ``{"positive": p, "mixed": m, "negative": n}``
    (a class of -1, an answer not scored, is left out)."""
    idx = np.asarray(class_indices, dtype=np.int64)
    idx = idx[idx >= 0]
    counts = np.bincount(idx, minlength=3) if len(idx) else np.zeros(3)
    total = max(int(counts.sum()), 1)
    return {name: round(float(counts[i]) / total, 4) for i, name in
            sorted(enumerate(CLASSES), key=lambda item: -item[0])}
