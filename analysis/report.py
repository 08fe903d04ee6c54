"""A plain-text summary of themes that a facilitator could paste into an email."""

from __future__ import annotations

import textwrap

import numpy as np


def tone(shares: dict, unscored: int = 0) -> str:
    """"62% positive, 10% mixed, 28% negative": a theme's feeling as shares, never one word
    (a theme of praise and complaints is not "mixed").

    ``shares`` are of the theme's scored answers; ``unscored`` counts its answers with no
    sentiment (in Welsh: the sentiment model knows English only), said as the web board says
    it.  A theme with no scored answer has no shares to give, never "0% positive, 0% mixed,
    0% negative".
    """
    if not any(shares.values()):  # no scored answer (shares of one or more sum to 1)
        return "sentiment not measured: the answers are in Welsh" if unscored else "no answers"
    text = ", ".join(f"{100 * shares.get(k, 0):.0f}% {k}" for k in ("positive", "mixed", "negative"))
    if unscored:
        text += f"; not measured for {unscored} answer{'s' if unscored != 1 else ''} in Welsh"
    return text


def text_report(model, source: str = "", column: str = "", notes=()) -> str:
    """Readable summary: counts, then each theme with size, keywords, tone and quotes.

    The counts keep apart the answers in no theme (real answers with no word the themes are
    built from: too short, or unlike all the others) and the empty answers and non-answers
    ("n/a").  ``notes`` are lines about the input, shown after the counts.
    """
    n = len(model.labels_)
    answered = int((model.labels_ >= 0).sum())
    empty = int(np.sum(model.non_answer_))
    unplaced = n - answered - empty
    lines = [f"Themes in {column!r} of {source}" if source else "Themes", ""]
    k = len(model.themes_)
    counts = [f"{answered} grouped into {k} theme{'' if k == 1 else 's'}"]
    if unplaced:
        counts.append(f"{unplaced} in no theme (too short or too unlike the others to place)")
    counts.append(f"{empty} empty or saying nothing (e.g. \"n/a\")")
    lines.append(f"{n} answers: {', '.join(counts)}.")
    lines += list(notes)
    flagged = int(np.sum(model.safeguarding_))
    if flagged:
        lines.append(f"{flagged} answers mention possible safeguarding concerns: "
                     "please ask the named safeguarding lead to read them.")
    for theme in model.themes_:
        share = 100 * theme.size / max(answered, 1)
        lines += ["", f"{theme.id + 1}. {theme.label} - {theme.size} answers ({share:.0f}%), "
                      f"{tone(theme.sentiment_shares, _unscored(model, theme.id))}"]
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


def _unscored(model, theme_id: int) -> int:
    """How many of a theme's answers have no sentiment (written in Welsh)."""
    return int(np.sum(model.sentiment_class_[model.labels_ == theme_id] < 0))
