"""The development data and its fixed split into a tuning half and a held-out half.

Data: The-Strategy-Unit/pxtextmining, datasets/v6framework_230831.csv (MIT licence, copyright
2021 NHS England), read from ../shared/data next to the repository, never copied in.

The split is by a hash of each row's ``Comment ID`` (CRC-32, even = tuning half, odd =
held-out half), so it does not depend on row order or on which rows a subset keeps.  Choices made since the
split (the theme count, phrase labels, the sentiment model's training) use the tuning half only
and the held-out half is only ever scored; the first wave's choices came before the split and
saw all the data (README-themes.md lists which).
"""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_NAME = Path("shared") / "data" / "v6framework_230831.csv"
# ../shared/data beside the checkout; a worktree in a folder of its own (../wt/NAME) looks one
# level further up.
DEFAULT_DATA = next((p / _NAME for p in (ROOT.parent, ROOT.parent.parent) if (p / _NAME).exists()),
                    ROOT.parent / _NAME)
TEXT, FIRST_THEME = "FFT answer", 11
HALVES = ("tuning", "held-out")
#: The "half" that stands for a whole outside file (``--labelled``): data no choice was made on.
OUTSIDE = "outside"
# Human sentiment codes (1 very positive ... 5 very negative) as three classes.
SENTIMENT_CLASS = {"1": "positive", "2": "positive", "3": "mixed", "4": "negative",
                   "5": "negative"}


def load_rows(path=DEFAULT_DATA) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def half_of(row: dict) -> str:
    """"tuning" or "held-out", fixed by the row's Comment ID."""
    return HALVES[zlib.crc32(row["Comment ID"].encode("utf-8")) % 2]


def usable(row: dict) -> bool:
    answer = (row[TEXT] or "").strip()
    return bool(answer) and answer != "Did not answer" and row.get("Labelling not possible") != "1"


def single_theme_subset(rows, half: str | None = None) -> tuple[list[str], list[str]]:
    """Answers with exactly one human theme (of ``half`` if given): texts and theme names."""
    themes = list(rows[0])[FIRST_THEME:] if rows else []
    texts, codes = [], []
    for row in rows:
        if not usable(row) or (half is not None and half_of(row) != half):
            continue
        coded = [t for t in themes if (row[t] or "").strip() not in ("", "0")]
        if len(coded) == 1:
            texts.append(row[TEXT].strip())
            codes.append(coded[0])
    return texts, codes


def sentiment_subset(rows, half: str, trust: str | None = None) -> tuple[list[str], list[str]]:
    """Answers of ``half`` (and of ``trust`` if given) with a human sentiment code: texts and
    "positive"/"mixed"/"negative"."""
    texts, classes = [], []
    for row in rows:
        code = (row.get("Comment sentiment") or "").strip()
        if usable(row) and code in SENTIMENT_CLASS and half_of(row) == half \
                and trust in (None, row.get("Trust")):
            texts.append(row[TEXT].strip())
            classes.append(SENTIMENT_CLASS[code])
    return texts, classes


def labelled_rows(path) -> tuple[list[str], list[str]]:
    """Texts and codes of an outside labelled CSV: the first column the text, the second its
    human code (e.g. ``text,category``); rows with an empty text or code are left out."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    kept = [(r[0].strip(), r[1].strip()) for r in rows if len(r) >= 2 and r[0].strip() and r[1].strip()]
    return [t for t, _ in kept], [c for _, c in kept]


def coded_answers(path, half: str | None) -> tuple[list[str], list[str]]:
    """Single-theme answers of a half of the development data, or every row of an outside file
    (``half`` == OUTSIDE)."""
    return labelled_rows(path) if half == OUTSIDE else single_theme_subset(load_rows(path), half)
