"""Possible safeguarding disclosures: answers flagged when saved, read in full by a named lead.

Redaction hides names and contact details from everyone who reads answers, which is right for
analysis and exports but would hide exactly what a safeguarding lead needs to act on. So flagged
answers are listed here with the words as written, for the named lead only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from .models import Answer, Consultation, Question, Respondent


@dataclass(frozen=True)
class Flagged:
    answer_id: int
    text: str
    consultation: str
    slug: str
    question: str
    reference: str
    channel: str
    submitted_at: datetime | None
    updated_at: datetime


def _flagged():
    return (select(Answer.id, Answer.text, Consultation.title, Consultation.slug, Question.prompt,
                   Respondent.reference, Respondent.channel, Respondent.submitted_at, Answer.updated_at)
            .join(Question, Question.id == Answer.question_id)
            .join(Respondent, Respondent.id == Answer.respondent_id)
            .join(Consultation, Consultation.id == Respondent.consultation_id)
            .where(Answer.safeguarding.is_(True)))


def count_flagged(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Answer).where(Answer.safeguarding.is_(True))).one()


def flagged_answers(session: Session, offset: int, limit: int) -> list[Flagged]:
    """Flagged answers across every consultation, newest first (also those not yet submitted:
    a person at risk may stop before the end)."""
    rows = session.exec(_flagged().order_by(Answer.updated_at.desc(), Answer.id.desc())
                        .offset(offset).limit(limit)).all()
    return [Flagged(*row) for row in rows]
