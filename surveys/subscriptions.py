"""Addresses left to hear a consultation's outcome: added, handed over once, deleted.

Operations add and flush; callers commit.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, select

from .models import Consultation, OutcomeSubscription
from .retention import past_retention


def subscribe(session: Session, consultation: Consultation, email: str) -> None:
    """Keep the address once (asking twice changes nothing)."""
    email = email.strip()
    exists = session.exec(select(OutcomeSubscription.id).where(
        OutcomeSubscription.consultation_id == consultation.id, OutcomeSubscription.email == email)).first()
    if exists is None:
        session.add(OutcomeSubscription(consultation_id=consultation.id, email=email))
        session.flush()


def take_all(session: Session, consultation: Consultation) -> list[str]:
    """Every address for this consultation, deleted as it is handed over."""
    rows = session.exec(select(OutcomeSubscription)
                        .where(OutcomeSubscription.consultation_id == consultation.id)).all()
    emails = sorted({r.email for r in rows})
    session.exec(delete(OutcomeSubscription).where(OutcomeSubscription.consultation_id == consultation.id))
    return emails


def purge_expired(session: Session) -> int:
    """Delete addresses for consultations past their retention date, by the same rule as their
    responses (``retention.past_retention``), whether or not any responses are left."""
    expired = [c.id for c in past_retention(session)]
    if not expired:
        return 0
    result = session.exec(delete(OutcomeSubscription).where(OutcomeSubscription.consultation_id.in_(expired)))
    return result.rowcount or 0
