"""Theme × segment matrix, and how opinions moved on repeated trade-off questions (from surveys)."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required
from sqlmodel import func, select

from surveys.groups import SEGMENT_ORDER
from surveys.models import Answer, Respondent, Theme, ThemeAssignment
from surveys.summaries import opinion_changes
from surveys.theme_stance import theme_stances

from .. import db
from ..auth.access import consultation_or_refuse
from ..groups import smallest_group
from . import bp
from .views import _run


def theme_segment_matrix(session, run, minimum: int) -> dict:
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.position)).all()
    rows = session.exec(
        select(ThemeAssignment.theme_id, Respondent.segment, func.count(), func.min(Answer.id))
        .join(Answer, Answer.id == ThemeAssignment.answer_id)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(ThemeAssignment.run_id == run.id)
        .group_by(ThemeAssignment.theme_id, Respondent.segment)).all()
    cells = {(t, seg or "not said"): (n, first) for t, seg, n, first in rows}
    segments = list(SEGMENT_ORDER) + sorted({s for _, s in cells} - set(SEGMENT_ORDER))
    totals = {s: sum(n for (_, seg), (n, _) in cells.items() if seg == s) for s in segments}
    quote_ids = [first for n, first in cells.values() if n >= minimum]
    quotes = dict(session.exec(select(Answer.id, Answer.text_redacted)
                               .where(Answer.id.in_(quote_ids))).all()) if quote_ids else {}
    table = []
    for t in themes:
        row = []
        for s in segments:
            n, first = cells.get((t.id, s), (0, None))
            shown = n >= minimum or n == 0
            row.append({"count": n, "shown": shown,
                        "share": (n / totals[s]) if shown and totals[s] else None,
                        "quote": quotes.get(first) if shown else None})
        table.append({"theme": t, "cells": row})
    return {"segments": [s for s in segments if totals[s]], "rows": table, "totals": totals,
            "keep": [i for i, s in enumerate(segments) if totals[s]]}


@bp.get("/<int:run_id>/matrix")
@login_required
def matrix(slug: str, run_id: int):
    consultation = consultation_or_refuse(slug)
    run = _run(consultation, run_id)
    minimum = smallest_group(consultation)
    s = db.session()
    return render_template("themes/matrix.html", consultation=consultation, run=run,
                           matrix=theme_segment_matrix(s, run, minimum), minimum=minimum,
                           stances=theme_stances(s, run, minimum),
                           changes=opinion_changes(s, consultation, minimum))
