"""'What others have said so far': aggregates of submitted answers, never for small groups."""

from __future__ import annotations

from sqlmodel import Session, func, select

from surveys.journey import Structure
from surveys.models import Answer, Consultation, Respondent
from surveys.types import get_type

SUMMARISED = ("tradeoff", "likert", "choice", "multi", "rank", "allocate")


def results_for(session: Session, consultation: Consultation, minimum: int) -> list[dict]:
    structure = Structure.load(session, consultation)
    submitted = session.exec(select(func.count()).select_from(Respondent).where(
        Respondent.consultation_id == consultation.id,
        Respondent.submitted_at.is_not(None))).one()
    if submitted < minimum:
        return []
    rows = session.exec(
        select(Answer.question_id, Answer.value).join(Respondent)
        .where(Respondent.consultation_id == consultation.id, Respondent.submitted_at.is_not(None))
    ).all()
    values: dict[int, list] = {}
    for question_id, value in rows:
        values.setdefault(question_id, []).append(value)
    out = []
    for q in structure.questions:
        if q.type not in SUMMARISED or q.is_segment:
            continue
        given = values.get(q.id, [])
        if len(given) < minimum:
            continue
        qtype = get_type(q.type)
        summary = qtype.summarise(q, given)
        if q.type == "tradeoff":
            # Points on the scale read as words ("Slightly prefer ...") for the public.
            summary["counts"] = {qtype.labels(q)[p]: n for p, n in summary["counts"].items()}
        out.append({"question": q, "type": q.type, "summary": summary})
    return out
