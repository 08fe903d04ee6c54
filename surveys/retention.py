"""Retention: answers are deleted once a consultation's retention period has passed.

The period runs from when the consultation closed (``closes_at``, or its last change for a
closed or archived consultation without a date). Deleting a respondent deletes their answers,
theme placings and blind-check codes with them (database cascades and explicit deletes).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, func, select

from .models import Answer, Consultation, EvaluationCode, Respondent, ThemeAssignment, utcnow
from .theme_runs import forget_respondents


def due(session: Session, now: datetime | None = None) -> list[tuple[Consultation, int]]:
    """Consultations past their retention period that still hold responses, with how many."""
    now = now or utcnow()
    out = []
    for c in session.exec(select(Consultation).where(Consultation.status.in_(["closed", "archived"]))):
        closed = c.closes_at or c.updated_at
        if closed + timedelta(days=c.retention_days) <= now:
            n = session.exec(select(func.count()).select_from(Respondent)
                             .where(Respondent.consultation_id == c.id)).one()
            if n:
                out.append((c, n))
    return out


def purge(session: Session, consultation: Consultation) -> int:
    """Delete every response to ``consultation`` (flushes; the caller commits)."""
    respondents = select(Respondent.id).where(Respondent.consultation_id == consultation.id)
    answers = select(Answer.id).where(Answer.respondent_id.in_(respondents))
    forget_respondents(session, respondents)  # their words leave theme quotes and runs too
    session.exec(delete(EvaluationCode).where(EvaluationCode.answer_id.in_(answers)))
    session.exec(delete(ThemeAssignment).where(ThemeAssignment.answer_id.in_(answers)))
    session.exec(delete(Answer).where(Answer.respondent_id.in_(respondents)))
    result = session.exec(delete(Respondent).where(Respondent.consultation_id == consultation.id))
    return result.rowcount
