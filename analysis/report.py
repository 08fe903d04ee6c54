"""A plain-text summary of themes that a facilitator could paste into an email."""

from __future__ import annotations

import textwrap

import numpy as np


def tone(shares: dict) -> str:
    """"62% positive, 10% mixed, 28% negative": a theme's feeling as shares, never one word
    (a theme of praise and complaints is not "mixed")."""
    if not shares:
        return "no answers"
    return ", ".join(f"{100 * shares.get(k, 0):.0f}% {k}" for k in ("positive", "mixed", "negative"))


def text_report(model, source: str = "", column: str = "") -> str:
    """Readable summary: counts, then each theme with size, keywords, tone and quotes."""
    n = len(model.labels_)
    answered = int((model.labels_ >= 0).sum())
    lines = [f"Themes in {column!r} of {source}" if source else "Themes", ""]
    lines.append(f"{n} answers: {answered} grouped into {len(model.themes_)} themes, "
                 f"{n - answered} empty or saying nothing (e.g. \"n/a\").")
    flagged = int(np.sum(model.safeguarding_))
    if flagged:
        lines.append(f"{flagged} answers mention possible safeguarding concerns: "
                     "please ask the named safeguarding lead to read them.")
    for theme in model.themes_:
        share = 100 * theme.size / max(answered, 1)
        lines += ["", f"{theme.id + 1}. {theme.label} - {theme.size} answers ({share:.0f}%), "
                      f"{tone(theme.sentiment_shares)}"]
        lines.append(f"   Key words: {', '.join(theme.keywords)}")
        if theme.by_segment:
            lines.append("   By group: " + ", ".join(f"{k} {v}" for k, v in
                                                      theme.by_segment.items()))
        for quote in theme.quotes[:3]:
            short = textwrap.shorten(quote, width=200, placeholder="...")
            lines.append(textwrap.fill(f'"{short}"', width=88, initial_indent="   - ",
                                       subsequent_indent="     "))
        if theme.subthemes:
            lines.append("   Within this theme: " + "; ".join(
                f"{s.label} ({s.size})" for s in theme.subthemes))
    lines.append("")
    lines.append("Quotes have personal details removed. Themes are found automatically; "
                 "please check them before sharing.")
    return "\n".join(lines) + "\n"
