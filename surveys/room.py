"""The room display's figures: where a workshop's room stands, never one person's answer.

The room watches the screen as each tablet is handed in. If the figures moved with every response,
the change would be that one person's answers. So they move in whole groups: each figure counts
the first responses to arrive, as many as the largest multiple of the smallest group shown, and
stays as it is until that many more have come. Trade-offs are counted the same way over their own
answers (a question some were not asked grows by whole groups of its own answers).
"""

from __future__ import annotations

from sqlalchemy import String, cast
from sqlmodel import Session, func, select

from .groups import hide_small
from .models import Answer, Consultation, Question, Respondent, Workshop
from .translations import SOURCE, localise_question
from .types import get_type, types_where


def whole_groups(count: int, minimum: int) -> int:
    """How many of ``count`` people the display counts: whole groups of ``minimum`` only."""
    return count - count % max(minimum, 1)


def room_aggregates(session: Session, workshop: Workshop, minimum: int, language: str = SOURCE) -> dict:
    """Where the room stands, counted in SQL over submitted responses in whole groups (see the
    module); small groups are hidden. Questions and poles are in ``language`` where the
    consultation offers it."""
    submitted = (Respondent.workshop_id == workshop.id, Respondent.submitted_at.is_not(None))
    arrived = session.exec(select(func.count()).select_from(Respondent).where(*submitted)).one()
    total = whole_groups(arrived, minimum)
    # Ids grow as responses are stored, so the first ``total`` stay the same as more arrive.
    counted = select(Respondent.id).where(*submitted).order_by(Respondent.id).limit(total).subquery()
    per_table = dict(session.exec(select(Respondent.table_number, func.count())
                                  .where(Respondent.id.in_(select(counted.c.id)))
                                  .group_by(Respondent.table_number)).all()) if total else {}
    # Hidden counts are left out, not only hidden on the page. The total is shown, so one small
    # table hidden alone would be the total less the others (people at no table count too).
    every = {**per_table, **{t: per_table.get(t, 0) for t in range(1, workshop.tables + 1)}}
    shown = hide_small(every, minimum) if total else dict.fromkeys(every)
    tables = [{"table": t, "count": shown[t], "shown": shown[t] is not None}
              for t in range(1, workshop.tables + 1)]
    result = {"total": total or None, "minimum": minimum, "tables": tables, "tradeoffs": [],
              "shown": bool(total)}
    if not total:
        return result
    questions = session.exec(select(Question).where(
        Question.consultation_id == workshop.consultation_id,
        Question.type.in_(types_where(lambda t: t.between_poles)))
        .order_by(Question.position)).all()
    if not questions:
        return result
    if language != SOURCE:
        consultation = session.get(Consultation, workshop.consultation_id)
        questions = [localise_question(q, consultation, language) for q in questions]
    counts = _points(session, workshop, questions, minimum)
    summaries = {q.id: _tradeoff_summary(q, counts[q.id], minimum) for q in questions}
    repeated = {q.repeat_of_id: q for q in questions if q.repeat_of_id in summaries}
    for q in questions:
        if q.repeat_of_id in summaries:
            continue  # shown with the question it repeats
        item = {"key": q.key, "left": q.config["left"], "right": q.config["right"],
                "prompt": q.prompt, "before": summaries[q.id], "after": None}
        if q.id in repeated:
            item["after"] = summaries[repeated[q.id].id]
        result["tradeoffs"].append(item)
    return result


def _points(session: Session, workshop: Workshop, questions, minimum: int) -> dict[int, dict[int, int]]:
    """Each question's count of answers at each point, over its first answers in whole groups."""
    as_text = cast(Answer.value, String)
    ranked = (select(Answer.question_id, as_text.label("raw"),
                     func.row_number().over(partition_by=Answer.question_id,
                                            order_by=Answer.respondent_id).label("arrival"),
                     func.count().over(partition_by=Answer.question_id).label("answered"))
              .join(Respondent)
              .where(Respondent.workshop_id == workshop.id, Respondent.submitted_at.is_not(None),
                     Answer.question_id.in_([q.id for q in questions]))
              .subquery())
    rows = session.exec(
        select(ranked.c.question_id, ranked.c.raw, func.count())
        .where(ranked.c.arrival <= ranked.c.answered - ranked.c.answered % max(minimum, 1))
        .group_by(ranked.c.question_id, ranked.c.raw)).all()
    counts = {q.id: dict.fromkeys(get_type(q.type).points, 0) for q in questions}
    for question_id, raw, n in rows:
        try:
            point = int(str(raw).strip().strip('"'))
        except ValueError:
            continue
        if point in counts[question_id]:
            counts[question_id][point] += n
    return counts


def _tradeoff_summary(question: Question, counts: dict[int, int], minimum: int) -> dict:
    answered = sum(counts.values())
    if answered < minimum or not answered:
        return {"answered": None, "shown": False}
    t = get_type(question.type)
    labels = t.labels(question)
    mean = sum(p * n for p, n in counts.items()) / answered
    nearest = max(min(t.points), min(max(t.points), round(mean)))
    return {"answered": answered, "shown": True, "mean": round(mean, 2), "mean_label": labels[nearest],
            "points": [{"point": p, "label": labels[p], "count": counts[p],
                        "share": round(100 * counts[p] / answered)} for p in t.points]}
