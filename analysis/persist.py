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
label is in the file.)  When someone takes their answers back, :func:`forget_terms` takes out of a
kept model every term that no answer left in its run uses, with the numbers learnt for it.
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
            meta["pretrained_weight"] = float(vec.pretrained_weight)
            if vec.pretrained_mean_ is not None:
                arrays["pretrained_mean"] = vec.pretrained_mean_
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
            # A model kept before the pretrained vectors were added places answers without them,
            # as it was fitted.
            vec.pretrained_weight = meta.get("pretrained_weight", 0.0)
            vec.pretrained_mean_ = arrays.get("pretrained_mean")
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


def forget_terms(data: bytes, texts) -> tuple[bytes, int]:
    """``data`` (from :func:`model_to_bytes`) without the terms that none of ``texts`` uses, and
    how many went.

    For when people take their answers back: ``texts`` are the answers the run still has, so a
    word only they wrote (a name the redaction missed, say) leaves the model. Its hash becomes a
    key no term can have, so no answer is ever placed by it again, and what was learnt for it
    alone (its LSA column, its word vector) is zeroed; columns keep their places, so the model
    places every answer that does not use a dropped term exactly as before.
    """
    from .prepare import prepare
    from .text import StemAnalyzer

    with np.load(io.BytesIO(data), allow_pickle=False) as f:
        arrays = {name: f[name] for name in f.files}
    meta = json.loads(str(arrays["meta"]))
    if not meta.get("has_tfidf"):
        return data, 0
    hashed = _HashedAnalyzer(StemAnalyzer(ngram_range=tuple(meta.get("ngram_range", (1, 2))),
                                          track_surface=False))
    # As written and as the fit saw them (normalised): a term either way is one still used.
    used = {key for text in [*texts, *prepare(list(texts)).texts] for key in hashed(text)}
    vocabulary = arrays["vocabulary"].copy()
    dropped = np.flatnonzero([str(key) not in used and not str(key).startswith("-")
                              for key in vocabulary])
    if not len(dropped):
        return data, 0
    vocabulary[dropped] = [f"-{j}" for j in dropped]  # never a hash: 16 hex digits
    arrays["vocabulary"] = vocabulary
    if "svd" in arrays:
        arrays["svd"] = arrays["svd"].copy()
        arrays["svd"][:, dropped] = 0
    if "fold_data" in arrays:
        fold = sparse.csr_matrix((arrays["fold_data"], arrays["fold_indices"], arrays["fold_indptr"]),
                                 shape=tuple(arrays["fold_shape"]))
        # The dropped words' rows of the fold (single-word column -> its vector) emptied.
        fold = sparse.csr_matrix(sparse.diags((~np.isin(arrays["words"], dropped)).astype(fold.dtype))
                                 @ fold)
        fold.eliminate_zeros()
        arrays.update(fold_data=fold.data, fold_indices=fold.indices, fold_indptr=fold.indptr)
        if "word_vectors" in arrays:  # a vector no word kept maps to was learnt for dropped ones
            orphan = np.asarray(fold.sum(axis=0)).ravel() == 0
            arrays["word_vectors"] = arrays["word_vectors"].copy()
            arrays["word_vectors"][orphan] = 0
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue(), len(dropped)
