"""Keeping a fitted theme model: to bytes and back, safely.

What is kept is what placing new answers needs: the vocabulary and IDF weights, the LSA
projection, the word vectors, the theme and sub-theme centres and the "fits no theme"
threshold, as plain arrays in an ``.npz`` archive read with ``allow_pickle=False`` (loading
never runs code, unlike a pickle), plus the model's parameters as JSON.  Themes' labels,
quotes and breakdowns belong to the run and are stored by its caller.

No words are kept.  The vocabulary (stemmed words and word pairs from the answers, and with a
small run even a word only one person wrote, such as a name the redaction missed) is kept as a
hash of each term: a loaded model hashes a text's terms the same way to find their columns, so
it places answers exactly as the fitted one did, but the file cannot be read back into words.
(A hash can still confirm a guessed word, as any vocabulary lookup could; no answer, quote or
label is in the file.)
"""

from __future__ import annotations

import hashlib
import io
import json

import numpy as np
from scipy import sparse

FORMAT = 2


def term_key(term: str) -> str:
    """The stored stand-in for a vocabulary term: 16 hex digits of its BLAKE2b hash."""
    return hashlib.blake2b(term.encode("utf-8"), digest_size=8).hexdigest()


class _HashedAnalyzer:
    """A text's features as :func:`term_key` hashes, to look up in a hashed vocabulary."""

    key = staticmethod(term_key)

    def __init__(self, analyzer):
        self.analyzer = analyzer

    def __call__(self, text: str) -> list[str]:
        return [term_key(term) for term in self.analyzer(text)]


class _Projection:
    """The part of a fitted TruncatedSVD that ``transform`` uses."""

    def __init__(self, components):
        self.components_ = np.asarray(components)

    def transform(self, X):
        return np.asarray(X @ self.components_.T)


def model_to_bytes(model) -> bytes:
    """The fitted state of a :class:`~analysis.model.ThemeModel`, as bytes."""
    from .vectorise import WordVectoriser

    vec = model.vectoriser_
    params = {k: v for k, v in model.get_params().items()
              if v is None or isinstance(v, (bool, int, float, str))}
    arrays = {"centres": model.centres_, "threshold": np.array(model.threshold_)}
    meta = {"format": FORMAT, "params": params, "subthemes": sorted(model.subcentres_),
            "kind": "words" if isinstance(vec, WordVectoriser) else "lsa", "has_tfidf": False}
    for theme, centres in model.subcentres_.items():
        arrays[f"sub_{theme}"] = centres
    if getattr(vec, "tfidf_", None) is not None:
        meta["has_tfidf"] = True
        meta["ngram_range"] = list(vec.analyzer_.ngram_range)
        names = vec.tfidf_.get_feature_names_out()
        arrays["vocabulary"] = np.asarray([term_key(str(n)) for n in names], dtype="<U16")
        arrays["idf"] = vec.tfidf_.idf_
        if vec.svd_ is not None:
            arrays["svd"] = vec.svd_.components_
        if meta["kind"] == "words":
            meta["lsa_weight"] = float(vec.lsa_weight)
            arrays["words"] = vec.words_
            fold = sparse.csr_matrix(vec.fold_)
            arrays.update(fold_data=fold.data, fold_indices=fold.indices,
                          fold_indptr=fold.indptr, fold_shape=np.array(fold.shape))
            if vec.word_vectors_ is not None:
                arrays["word_vectors"] = vec.word_vectors_
    arrays["meta"] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def model_from_bytes(data: bytes):
    """A :class:`~analysis.model.ThemeModel` that can ``transform`` and ``predict``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .model import ThemeModel
    from .text import StemAnalyzer
    from .vectorise import LSAVectoriser, WordVectoriser

    with np.load(io.BytesIO(data), allow_pickle=False) as f:
        arrays = {name: f[name] for name in f.files}
    meta = json.loads(str(arrays["meta"]))
    if meta.get("format") != FORMAT:
        raise ValueError("This theme model was saved by another version and cannot be read.")
    model = ThemeModel(**meta["params"])
    vec = (WordVectoriser if meta["kind"] == "words" else LSAVectoriser)(
        n_components=model.n_components)
    vec.tfidf_, vec.svd_ = None, None
    vec.analyzer_ = StemAnalyzer(ngram_range=tuple(meta.get("ngram_range", (1, 2))),
                                 track_surface=False)
    if meta["has_tfidf"]:
        vocabulary = {str(term): i for i, term in enumerate(arrays["vocabulary"])}
        vec.tfidf_ = TfidfVectorizer(analyzer=_HashedAnalyzer(vec.analyzer_), sublinear_tf=True,
                                     vocabulary=vocabulary, dtype=np.float32)
        vec.tfidf_.idf_ = arrays["idf"]
        if "svd" in arrays:
            vec.svd_ = _Projection(arrays["svd"])
        if meta["kind"] == "words":
            vec.lsa_weight = meta["lsa_weight"]
            vec.words_ = arrays["words"]
            vec.fold_ = sparse.csr_matrix(
                (arrays["fold_data"], arrays["fold_indices"], arrays["fold_indptr"]),
                shape=tuple(arrays["fold_shape"]))
            vec.word_vectors_ = arrays.get("word_vectors")
    model.vectoriser_ = vec
    model.centres_ = arrays["centres"]
    model.subcentres_ = {int(t): arrays[f"sub_{t}"] for t in meta["subthemes"]}
    model.threshold_ = float(arrays["threshold"])
    return model
