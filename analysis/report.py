"""A plain-text summary of themes that a facilitator could paste into an email."""

from __future__ import annotations

import textwrap

import numpy as np


def _tone(score) -> str:
    if score is None:
        return "no answers"
    if score >= 0.3:
        return "mostly positive"
    if score <= -0.1:
        return "mostly negative"
    return "mixed"


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
                      f"{_tone(theme.sentiment)}"]
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
