"""The Theme record and per-theme breakdowns by segment and trade-off position."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Theme:
    """One theme (or sub-theme) found in the answers.

    ``quotes`` are redacted; ``quote_rows`` are the input rows they come from (an answer given
    word for word by several people is quoted once, from its first row).  ``sentiment`` is the
    mean sentiment score of the theme's answers (-1 to +1) and ``sentiment_shares`` the share
    of its answers that are positive, mixed and negative (:mod:`analysis.sentiment`): show the
    shares, not one word for the whole theme.
    ``by_segment`` and ``by_position`` count the theme's answers per respondent segment
    (e.g. "patient", "staff") and per trade-off position (-3..+3).
    ``parent`` is the id of the enclosing theme for a sub-theme, None for a theme.
    """

    id: int
    label: str
    keywords: list[str]
    size: int
    quotes: list[str]
    quote_rows: list[int] = field(default_factory=list)
    sentiment: float | None = None
    sentiment_shares: dict = field(default_factory=dict)
    by_segment: dict = field(default_factory=dict)
    by_position: dict = field(default_factory=dict)
    subthemes: list[Theme] = field(default_factory=list)
    parent: int | None = None

    def to_dict(self) -> dict:
        """JSON-serialisable form (mapping keys become strings)."""
        return {
            "id": self.id,
            "label": self.label,
            "keywords": list(self.keywords),
            "size": int(self.size),
            "quotes": list(self.quotes),
            "quote_rows": [int(r) for r in self.quote_rows],
            "sentiment": None if self.sentiment is None else round(float(self.sentiment), 4),
            "sentiment_shares": {k: round(float(v), 4) for k, v in self.sentiment_shares.items()},
            "by_segment": {str(k): int(v) for k, v in self.by_segment.items()},
            "by_position": {str(k): int(v) for k, v in self.by_position.items()},
            "subthemes": [s.to_dict() for s in self.subthemes],
            "parent": self.parent,
        }


def crosstab(labels, values, n_themes: int) -> list[dict]:
    """Count ``values`` per theme: one ``{value: count}`` dict per theme id, keys sorted.

    ``labels`` holds a theme id per text (-1 is skipped); None, NaN and "" values are skipped.
    One pass over the data, so it stays fast for a million answers.
    """
    if values is None:
        return [{} for _ in range(n_themes)]
    codes: dict = {}
    coded = np.fromiter(
        (codes.setdefault(v, len(codes)) if _present(v) else -1 for v in values),
        dtype=np.int64, count=len(labels),
    )
    labels = np.asarray(labels)
    keep = (labels >= 0) & (coded >= 0)
    table = np.bincount(labels[keep] * max(len(codes), 1) + coded[keep],
                        minlength=n_themes * max(len(codes), 1))
    table = table.reshape(n_themes, max(len(codes), 1))
    keys = sorted(codes, key=lambda v: (str(type(v)), v))
    return [{k: int(row[codes[k]]) for k in keys if row[codes[k]]} for row in table]


def _present(value) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and np.isnan(value):
        return False
    return value != ""
