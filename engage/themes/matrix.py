"""Theme × segment matrix, and how opinions moved on repeated trade-off questions."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import login_required
from sqlmodel import func, select

from surveys.models import Answer, Question, Respondent, Theme, ThemeAssignment
from surveys.summaries import opinion_change as opinion_change_of
from surveys.theme_stance import theme_stances
from surveys.types import get_type, types_where

from .. import db
from ..auth.access import consultation_or_refuse
from . import bp
from .views import _run

SEGMENTS = ["patient", "carer", "public", "staff"]


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
    segments = SEGMENTS + sorted({s for _, s in cells} - set(SEGMENTS))
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


def opinion_change(session, consultation, minimum: int) -> list[dict]:
    """For each repeated trade-off: mean position before and after, and who moved which way."""
    out = []
    repeats = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                  Question.repeat_of_id.is_not(None),
                                                  Question.type.in_(types_where(lambda t: t.between_poles)))
                           ).all()
    for after_q in repeats:
        before = dict(session.exec(
            select(Answer.respondent_id, Answer.value).join(Respondent)
            .where(Answer.question_id == after_q.repeat_of_id, Respondent.submitted_at.is_not(None))).all())
        after = dict(session.exec(
            select(Answer.respondent_id, Answer.value).join(Respondent)
            .where(Answer.question_id == after_q.id, Respondent.submitted_at.is_not(None))).all())
        t = get_type(after_q.type)
        change = opinion_change_of([(_position(t, before[r]), _position(t, after[r]), 1)
                                    for r in before.keys() & after.keys()], t.poles(after_q))
        if change["both"] < minimum:
            out.append({"question": after_q, "n": change["both"], "suppressed": True})
            continue
        out.append({
            "question": after_q, "n": change["both"], "suppressed": False,
            "mean_before": change["before_mean"], "mean_after": change["after_mean"],
            "to_left": change["left"], "to_right": change["right"], "same": change["same"],
        })
    return out


def _position(question_type, value):
    return question_type.position(value) if isinstance(value, int) else None


@bp.get("/<int:run_id>/matrix")
@login_required
def matrix(slug: str, run_id: int):
    consultation = consultation_or_refuse(slug)
    run = _run(consultation, run_id)
    minimum = max(consultation.min_group_size, current_app.config["MIN_GROUP_SIZE"])
    s = db.session()
    return render_template("themes/matrix.html", consultation=consultation, run=run,
                           matrix=theme_segment_matrix(s, run, minimum), minimum=minimum,
                           stances=theme_stances(s, run, minimum),
                           changes=opinion_change(s, consultation, minimum))
