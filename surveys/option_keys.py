"""Option keys made from labels, so that nobody types a key.

A key is what answers, routing and exports refer to; a label is what people read. The builder
makes a readable key from each new option's label ("I work for the NHS" → ``i-work-for-the-nhs``),
unique within the question. An automatic key follows its label while the consultation is a
draft and no one has answered the question; after that, and for a key someone chose (in an
imported file), it never changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

#: Longest key made from a label (whole words only); a suffix may follow for uniqueness.
MAX_KEY = 40
FALLBACK = "option"


def slug(label: str, fallback: str = FALLBACK) -> str:
    """A readable key from a label: lowercase ASCII words joined by hyphens, cut at a word."""
    plain = unicodedata.normalize("NFKD", label or "").encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    key = ""
    for word in words:
        longer = f"{key}-{word}" if key else word
        if len(longer) > MAX_KEY:
            break
        key = longer
    return key or (words[0][:MAX_KEY] if words else fallback)


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not yet ``taken``."""
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key = base[:MAX_KEY - len(suffix)] + suffix
        n += 1
    return key


def is_automatic(key: str, label: str) -> bool:
    """The key is the one the builder would make from ``label`` (perhaps with a number added)."""
    base = slug(label)
    numbered = re.fullmatch(r"(.*)-([0-9]+)", key)
    return key == base or (numbered is not None and numbered.group(1)
                           == base[:MAX_KEY - 1 - len(numbered.group(2))])


def assign_keys(rows: list[Mapping], previous: Mapping[str, str], keep_all: bool
                ) -> tuple[list[dict], dict[str, str]]:
    """Options with keys for ``rows`` of ``{"key": existing key or "", "label": …}``, in order.

    ``previous`` maps the stored options' keys to their labels. A row keeps its key when
    ``keep_all`` (people have answered, or the consultation has opened), when its label is
    unchanged, or when the key was chosen rather than made; otherwise an automatic key follows
    the new label. Returns the options and ``{old key: new key}`` for the keys that changed.
    """
    kept: list[str | None] = []
    taken: set[str] = set()
    for row in rows:
        key = str(row.get("key") or "")
        keep = bool(key) and key not in taken and (
            key not in previous or keep_all or previous[key] == row["label"]
            or not is_automatic(key, previous[key]))
        kept.append(key if keep else None)
        if keep:
            taken.add(key)
    options, renamed = [], {}
    still_there = set(taken)
    for row, key in zip(rows, kept, strict=True):
        if key is None:
            key = unique(slug(row["label"]), taken)
            taken.add(key)
            old = str(row.get("key") or "")
            if old in previous and old != key and old not in still_there and old not in renamed:
                renamed[old] = key
        options.append({"key": key, "label": row["label"]})
    return options, renamed
