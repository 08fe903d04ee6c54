"""Who may manage a workshop or watch its room display, and finding a workshop by its code."""

from __future__ import annotations

import hashlib

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from surveys import consultations, workshops
from surveys.models import Consultation, ConsultationAccess, Workshop

from .. import db


def _has_row(consultation_id: int) -> bool:
    return db.session().get(ConsultationAccess, (current_user.id, consultation_id)) is not None


def can_manage(consultation_id: int) -> bool:
    """Admins, and facilitators given this consultation."""
    role = getattr(current_user, "role", None)
    return role == "admin" or (role == "facilitator" and _has_row(consultation_id))


def can_watch(consultation_id: int) -> bool:
    """The room display shows only aggregates: viewers given the consultation may watch it too."""
    role = getattr(current_user, "role", None)
    return role == "admin" or (role in ("facilitator", "viewer") and _has_row(consultation_id))


def pin_guesses(workshop: Workshop) -> str:
    """What wrong exit PINs are counted against, besides the address: the workshop and its current
    PIN, so guesses from many tablets add up, and a new PIN (set by the facilitator when a stranger
    has used up the guesses) starts a fresh count."""
    return f"workshop:{workshop.join_code}:{hashlib.sha256(workshop.pin_hash.encode()).hexdigest()[:16]}"


def consultation_to_manage(slug: str) -> Consultation:
    consultation = consultations.by_slug(db.session(), slug)
    if consultation is None:
        abort(404)
    if not can_manage(consultation.id):
        abort(403)
    return consultation


def workshop_to_manage(workshop_id: int) -> Workshop:
    workshop = db.session().get(Workshop, workshop_id)
    if workshop is None:
        abort(404)
    if not can_manage(workshop.consultation_id):
        abort(403)
    return workshop


def workshop_by_code(code: str) -> Workshop:
    workshop = workshops.find_by_code(db.session(), code)
    if workshop is None:
        abort(404, _("We could not find a workshop with that code. Check the code and try again."))
    return workshop
