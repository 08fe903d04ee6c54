"""Tell the safeguarding leads by email when an answer is newly flagged (no answer text in it).

A listener on every session's flush, so every way an answer is saved (the web journey, kiosks,
staff typing in paper responses, any future path) tells the leads without each one remembering
to. The message says where and when, never what was written: that stays on the lead's page.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from surveys.models import Answer, Consultation, OutboxMessage, Question

from . import configured
from .links import external_url


def _newly_flagged(session: Session) -> list[Answer]:
    found = []
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Answer) or not obj.safeguarding:
            continue
        if obj in session.new or False in inspect(obj).attrs.safeguarding.history.deleted:
            found.append(obj)
    return found


def _tell_leads(session: Session, _context, _instances) -> None:
    if not has_app_context() or not configured():
        return
    leads = sorted(current_app.config.get("SAFEGUARDING_LEADS") or ())
    if not leads:
        return
    flagged = _newly_flagged(session)
    if not flagged:
        return
    with session.no_autoflush:
        titles = sorted({session.get(Consultation, session.get(Question, a.question_id).consultation_id).title
                         for a in flagged})
    link = external_url("facilitate.safeguarding_list")
    count = len(flagged)
    body = (f"{count} new answer{'s' if count != 1 else ''} in {', '.join(titles)} may show that someone "
            f"is at risk of harm.\n\nRead {'them' if count != 1 else 'it'} and record what you did here "
            f"(sign-in needed):\n{link}\n\nThis email does not contain what was written.\n")
    for lead in leads:
        session.add(OutboxMessage(kind="safeguarding", recipient=lead, subject="An answer needs a "
                                  "safeguarding lead to read it", body=body))


def listen() -> None:
    event.listen(Session, "before_flush", _tell_leads)
