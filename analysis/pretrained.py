"""Answer vectors from English word vectors learnt elsewhere (GloVe), shipped with the package.

The engine's own word vectors are learnt from the answers it is given. A few hundred short
answers teach them little: "wait", "delay" and "queue" meet too rarely for their vectors to
come close. GloVe's vectors were learnt from six billion words of Wikipedia and news, so they
know those words are alike before any answer is read, on any kind of text in English. An
answer's vector here is the sum of its words' vectors, each already weighted by how rare the
word is, made unit length (an answer with none of the words gets zeros). Nothing is fitted here:
the same text always gets the same vector. (The vectoriser that uses them keeps one thing learnt
from the answers, the mean of their vectors, 100 numbers that hold no word; see
:class:`analysis.vectorise.WordVectoriser`.)

``models/word_vectors.npz`` is written by ``scripts/word_vectors.py``, which says how the
vectors were chosen and weighted; ``models/README.md`` gives their licence.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from .text import tokenise, unhyphenated

MODEL_FILE = Path(__file__).resolve().parent / "models" / "word_vectors.npz"


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, int], np.ndarray]:
    """Each word's row, and the weighted vectors (read once per process: about 20 MB)."""
    with np.load(MODEL_FILE, allow_pickle=False) as f:
        words = f["words"].tobytes().decode("utf-8").split("\n")
        vectors = f["vectors"].astype(np.float32)
    return {word: i for i, word in enumerate(words)}, vectors


def dimensions() -> int:
    return _table()[1].shape[1]


def answer_vectors(texts) -> np.ndarray:
    """Unit vectors, shape ``(len(texts), dimensions())``; zeros for a text with no known word.

    Stop words and negations are not in the table, so only what an answer is about counts; a
    hyphenated word not in it is looked up without its hyphens ("check-up", "checkup").
    """
    index, vectors = _table()
    rows, columns = [], []
    for i, text in enumerate(texts):
        for token in tokenise(text):
            j = index.get(token)
            if j is None and "-" in token:
                j = index.get(unhyphenated(token))
            if j is not None:
                rows.append(i)
                columns.append(j)
    # Repeated (row, column) pairs add up: a word said twice counts twice.
    counts = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, columns)),
                               shape=(len(texts), len(vectors)))
    return normalize(np.asarray(counts @ vectors)).astype(np.float32)
