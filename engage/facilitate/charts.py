"""Chart geometry for server-side SVG (no script, no inline styles): bars and diverging bars."""

from __future__ import annotations

SIDE = {-3: "l3", -2: "l2", -1: "l1", 0: "mid", 1: "r1", 2: "r2", 3: "r3"}


def diverging(rows) -> list[dict]:
    """Rects for a 7-point trade-off: left answers extend left of the centre line, right answers
    right, the middle straddles it. ``rows`` are (label, count, share %, point)."""
    shares = {point: share for _, _, share, point in rows}
    x = 50 - (shares.get(-3, 0) + shares.get(-2, 0) + shares.get(-1, 0) + shares.get(0, 0) / 2) / 2
    rects = []
    for label, count, share, point in rows:
        width = share / 2
        if width > 0:
            rects.append({"x": round(x, 2), "width": round(width, 2), "cls": SIDE[point],
                          "title": f"{label}: {count} ({share}%)"})
        x += width
    return rects
