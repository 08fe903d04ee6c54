"""Weighted sampling that stays put when answers are added.

Each answer gets a pseudo-random key from a hash of its own text (and the seed), not from its
position in the input, so an answer that was sampled in one run is very likely sampled again
after more answers arrive.  That keeps the learned themes recognisably the same.
"""

from __future__ import annotations

import zlib

import numpy as np


def text_keys(texts, seed: int = 0) -> np.ndarray:
    """A number in (0, 1) per text, fixed by the text and ``seed``."""
    salt = f"{seed}\x1f".encode()
    return np.fromiter(
        ((zlib.crc32(salt + t.encode("utf-8", "surrogatepass")) + 0.5) / 2**32 for t in texts),
        dtype=float,
    )


def weighted_sample(keys, weight, size: int) -> np.ndarray:
    """Indices of a weighted sample without replacement of ``size`` items, sorted.

    Efraimidis-Spirakis: item ``i`` is ranked by ``keys[i] ** (1 / weight[i])``, which picks
    items with probability proportional to weight when the keys are uniform.
    """
    keys, weight = np.asarray(keys, float), np.asarray(weight, float)
    if len(keys) <= size:
        return np.arange(len(keys))
    score = np.log(keys) / np.maximum(weight, 1e-12)  # log of keys ** (1 / weight)
    return np.sort(np.argsort(-score, kind="stable")[:size])
