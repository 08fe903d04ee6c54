"""Addresses left to hear a consultation's outcome: added, handed over once, deleted.

Operations add and flush; callers commit.
"""

from __future__ import annotations

from sqlalchemy import delete, func
from sqlmodel import Session, select

from .models import Consultation, OutcomeSubscription
from .retention import past_retention


def subscribe(session: Session, consultation: Consultation, email: str, language: str,
              replacing: str | None = None) -> str:
    """Keep the address once, with the language it was asked in (asking again only changes that).
    Once whatever its capitals: "Jo@NHS.net" and "jo@nhs.net" reach the same person, who should
    not hear twice. ``replacing``: the id of the address the same person gave before, deleted
    when this is another one (a corrected address replaces the wrong one). Returns the id kept."""
    email = email.strip()
    row = session.exec(select(OutcomeSubscription).where(
        OutcomeSubscription.consultation_id == consultation.id,
        func.lower(OutcomeSubscription.email) == email.lower())).first()
    if row is None:
        row = OutcomeSubscription(consultation_id=consultation.id, email=email, language=language)
        session.add(row)
    else:
        row.language = language
    session.flush()
    if replacing and replacing != row.id:
        session.exec(delete(OutcomeSubscription).where(
            OutcomeSubscription.consultation_id == consultation.id, OutcomeSubscription.id == replacing))
    return row.id


def forget(session: Session, consultation: Consultation, subscription_id: str) -> bool:
    """Delete one address (its person took their answers back from the browser that left it).
    True if there was one to delete."""
    result = session.exec(delete(OutcomeSubscription).where(
        OutcomeSubscription.consultation_id == consultation.id, OutcomeSubscription.id == subscription_id))
    return bool(result.rowcount)


def take_all(session: Session, consultation: Consultation) -> dict[str, str | None]:
    """Every address for this consultation with its language (None: not known), deleted as it is
    handed over."""
    rows = session.exec(select(OutcomeSubscription)
                        .where(OutcomeSubscription.consultation_id == consultation.id)).all()
    addresses = {r.email: r.language for r in sorted(rows, key=lambda r: r.email)}
    session.exec(delete(OutcomeSubscription).where(OutcomeSubscription.consultation_id == consultation.id))
    return addresses


def purge_expired(session: Session) -> int:
    """Delete addresses for consultations past their retention date, by the same rule as their
    responses (``retention.past_retention``), whether or not any responses are left."""
    expired = [c.id for c in past_retention(session)]
    if not expired:
        return 0
    result = session.exec(delete(OutcomeSubscription).where(OutcomeSubscription.consultation_id.in_(expired)))
    return result.rowcount or 0
