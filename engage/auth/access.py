"""Who may see and change what: roles and per-consultation access.

- admin: every consultation, and the admin pages (accounts, audit trail);
- facilitator: only the consultations given to them (ConsultationAccess), which they may change;
- viewer: read-only, only the consultations given to them.

Anonymous visitors are sent to sign in (``login_required``); signed-in people without the right
get 403. Checks run before a view touches anything, so a refused request changes nothing.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from surveys import consultations
from surveys.models import Consultation, ConsultationAccess

from .. import db


def has_access(consultation_id: int) -> bool:
    if current_user.is_admin:
        return True
    return db.session().get(ConsultationAccess, (current_user.id, consultation_id)) is not None


def can_edit(consultation: Consultation) -> bool:
    return current_user.can_build and has_access(consultation.id)


def visible_consultations():
    """A select of the consultations the signed-in person may see."""
    return consultations.visible_to(current_user.id, current_user.is_admin)


def consultation_or_refuse(slug: str, edit: bool = False) -> Consultation:
    """The consultation called ``slug``: 404 if there is none, 403 if this person may not see
    it (or, with ``edit``, may not change it)."""
    consultation = consultations.by_slug(db.session(), slug)
    if consultation is None:
        abort(404)
    if not has_access(consultation.id) or (edit and not current_user.can_build):
        abort(403)
    return consultation


def builder_required(view):
    """Signed in as an admin or facilitator (viewers are read-only)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.can_build:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped
