"""Retention: answers are deleted once a consultation's retention period has passed.

The period runs from when the consultation closed (``closes_at``, or its last change for a
closed or archived consultation without a date). Deleting a respondent deletes their answers,
theme placings and blind-check codes with them (database cascades and explicit deletes).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from .models import Consultation, Respondent, utcnow
from .responses import erase


def past_retention(session: Session, now: datetime | None = None) -> list[Consultation]:
    """Closed or archived consultations whose retention period has passed."""
    now = now or utcnow()
    ended = session.exec(select(Consultation).where(Consultation.status.in_(["closed", "archived"])))
    return [c for c in ended
            if (c.closes_at or c.updated_at) + timedelta(days=c.retention_days) <= now]


def due(session: Session, now: datetime | None = None) -> list[tuple[Consultation, int]]:
    """Consultations past their retention period that still hold responses, with how many."""
    out = []
    for c in past_retention(session, now):
        n = session.exec(select(func.count()).select_from(Respondent)
                         .where(Respondent.consultation_id == c.id)).one()
        if n:
            out.append((c, n))
    return out


def purge(session: Session, consultation: Consultation) -> int:
    """Delete every response to ``consultation`` (flushes; the caller commits)."""
    return erase(session, select(Respondent.id).where(Respondent.consultation_id == consultation.id))
