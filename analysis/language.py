"""What a word is, and whether an answer is in Welsh: no scikit-learn and no NLTK, so the helper
process of a fit (:mod:`analysis.sidecar`) scores sentiment without loading them.
"""

from __future__ import annotations

import re
from pathlib import Path

# Words that English never uses and Welsh uses often (a list made from Engage's own Welsh text),
# and English small words Welsh never uses.
_WELSH_WORDS = frozenset(
    (Path(__file__).resolve().parent / "models" / "welsh_words.txt").read_text(encoding="utf-8")
    .split("\n", 1)[1].split()) | frozenset("yn mae maer roedd oedd ddim dim gwbl gyda gydar fy hefyd "
                                            "iawn wedi ond syn hynny sydd ym yng rwyn dwi dwin".split())
# Spellings only Welsh has: a circumflex, or a word that opens "ll", "dd", "ngh", "mh", "chw", "chy"
# or "gw" and a consonant or "y" ("gwych"), or ends "iau"/"iadau" (plurals).
_WELSH_SPELLING = re.compile(r"\b(?:ll|dd|ngh|mh|ch[wy]|gw[b-df-hj-np-tv-z])\w*|\b\w{3,}iau\b|\b\w+iadau\b")
_CIRCUMFLEX = re.compile(r"[âêîôûŵŷ]")
_ENGLISH_MARKERS = frozenset("""the and is was were to of it that this with for have has had not are
                                be they we you my me he she our at what but so very all would could
                                as an""".split())

# A word: Latin letters, accents included ("ffôn", "tŷ", "café"; with a-z only, "ffôn" was the
# word "ff"), apostrophes inside it.  Letters straight after a digit ("1st", "10am") are not a
# word.  A hyphenated word ("Wi-Fi", "follow-up", "face-to-face") is one token: split, it gave
# labels and keywords such as "fi, wi".  The letters are one class, as fast as a-z was.
_L = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f\u1e00-\u1eff"
# "A&E" (or "A & E") is one word, the NHS's name for its emergency departments: split, it was the
# article "a" and the letter "e", so answers about it shared no word and labels read "E with my
# dad".  Its spaces go with the apostrophes (:func:`plain`).
_A_AND_E = rf"(?<![0-9{_L}])a ?& ?e(?![0-9{_L}])"
_WORD = rf"(?:{_A_AND_E}|(?<![0-9{_L}])[{_L}](?:[{_L}']*[{_L}])?(?:-[{_L}](?:[{_L}']*[{_L}])?)*)"
_TOKEN = re.compile(_WORD)


def plain(token: str) -> str:
    """A token as a word: apostrophes dropped ("don't" is "dont"), and the spaces of "a & e"."""
    return token.replace("'", "").replace(" ", "")


def looks_welsh(text: str) -> bool:
    """Whether ``text`` is written in Welsh.

    A word counts for Welsh if Welsh uses it and English never does ("yn", "mae", "roedd",
    "atebion") or it is spelt as only Welsh spells ("gwych", "chwe", "ffôn"); English's small words
    ("the", "was", "my") count for English.  Welsh wins with two words more than English has, or
    with one word of its vocabulary and no English one ("Dim lle i barcio o gwbl").  Each word
    counts once.
    """
    low = text.lower().replace("\u2019", "").replace("'", "")  # the words as tokenise() gives them
    words = set(_TOKEN.findall(low))
    known = len(words & _WELSH_WORDS)
    spelt = {w for w in _WELSH_SPELLING.findall(low) if w in words}
    if not low.isascii():
        spelt |= {w for w in words if _CIRCUMFLEX.search(w)}
    spelt -= _WELSH_WORDS
    welsh, english = known + len(spelt), len(words & _ENGLISH_MARKERS)
    return (welsh >= 2 and welsh > english) or (welsh == 1 and known == 1 and not english)
