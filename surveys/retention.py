"""Retention: answers are deleted once a consultation's retention period has passed.

The period runs from when the consultation closed (``closes_at``, or its last change for a
closed or archived consultation without a date). Deleting a respondent deletes their answers,
theme placings and blind-check codes with them (database cascades and explicit deletes).

Disclosures held for the safeguarding leads after their writers took their answers back (see
``safeguarding``) go too: the lead has had the whole retention period to deal with them, and
nothing of a response is kept longer than the consent text says.

A period is at most ``MAX_RETENTION_DAYS`` (checked where it is set: the builder's form and
imported definitions). One stored before that check, too long to reach a date the calendar has,
keeps its answers until the last date there is (it never comes due), and never stops the others.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, func, select

from .models import Consultation, HeldDisclosure, Respondent, utcnow
from .responses import erase

#: The longest retention period that can be set: ten years.
MAX_RETENTION_DAYS = 3650


def retention_ends(consultation: Consultation) -> datetime:
    """When ``consultation``'s retention period ends: ``datetime.max`` if that is past the
    calendar's last date (a period stored before the maximum was checked)."""
    closed = consultation.closes_at or consultation.updated_at
    try:
        return closed + timedelta(days=consultation.retention_days)
    except OverflowError:
        return datetime.max


def past_retention(session: Session, now: datetime | None = None) -> list[Consultation]:
    """Closed or archived consultations whose retention period has passed."""
    now = now or utcnow()
    ended = session.exec(select(Consultation).where(Consultation.status.in_(["closed", "archived"])))
    return [c for c in ended if retention_ends(c) <= now]


def too_long(session: Session) -> list[Consultation]:
    """Consultations whose retention period is longer than ``MAX_RETENTION_DAYS`` (stored before
    that was checked): ``engage purge`` warns about them."""
    return list(session.exec(select(Consultation).where(Consultation.retention_days > MAX_RETENTION_DAYS)
                             .order_by(Consultation.slug)))


def due(session: Session, now: datetime | None = None) -> list[tuple[Consultation, int, int]]:
    """Consultations past their retention period that still hold responses or disclosures held for
    the safeguarding leads, with how many of each."""
    out = []
    for c in past_retention(session, now):
        n = session.exec(select(func.count()).select_from(Respondent)
                         .where(Respondent.consultation_id == c.id)).one()
        held = session.exec(select(func.count()).select_from(HeldDisclosure)
                            .where(HeldDisclosure.consultation_id == c.id)).one()
        if n or held:
            out.append((c, n, held))
    return out


def purge(session: Session, consultation: Consultation) -> tuple[int, int]:
    """Delete every response to ``consultation``, and any disclosure still held from one taken
    back (flushes; the caller commits). Returns how many responses, and how many held disclosures."""
    held = session.exec(delete(HeldDisclosure)
                        .where(HeldDisclosure.consultation_id == consultation.id)).rowcount
    return erase(session, select(Respondent.id).where(Respondent.consultation_id == consultation.id)), held
