"""Text normalisation: one canonical form for display and one key for matching.

``normalise`` keeps the text readable (it is what quotes show): Unicode NFKC, typographic quotes
and dashes made plain, control characters dropped, runs of whitespace collapsed.
``match_key`` is for comparing answers: lower case, letters and digits only, single spaces, so
"N/A", "n.a." and " n a " all give ``"n a"``.
"""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str | None) -> str:
    """Return a clean, readable form of ``text`` ("" for None)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = _CONTROL.sub("", text)
    return _SPACE.sub(" ", text).strip()


def match_key(text: str | None) -> str:
    """Return a key that is equal for answers differing only in case, punctuation or spacing."""
    if not text:
        return ""
    text = text.lower()
    if not text.isascii():  # accents off ("café" -> "cafe"); plain ASCII has none to take off
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("'", "").replace("\u2019", "")  # "don't" -> "dont", not "don t"
    return _NOT_WORD.sub(" ", text).strip()
