"""'What others have said so far': aggregates of submitted answers, never for small groups."""

from __future__ import annotations

from sqlmodel import Session

from surveys import summaries
from surveys.journey import Structure
from surveys.models import Consultation


def results_for(session: Session, consultation: Consultation, minimum: int) -> list[dict]:
    """Everyone's summary of each question (not the segment question), from submitted responses,
    for questions at least ``minimum`` people answered: the facilitators' summary engine."""
    structure = Structure.load(session, consultation)
    questions = [q for q in structure.questions if not q.is_segment]
    found = summaries.question_summaries(session, questions, [], summaries.Filters(completed_only=True))
    out = []
    for q in questions:
        if q.id not in found:
            continue
        everyone = found[q.id]["groups"][0]
        if everyone["answered"] >= minimum:
            out.append({"question": q, "summary": everyone})
    return out
