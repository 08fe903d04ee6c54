"""Tell the safeguarding leads by email when an answer is newly flagged (no answer text in it).

A listener on every session's flush, so every way an answer is saved (the web journey, kiosks,
staff typing in paper responses, any future path) tells the leads without each one remembering
to. The message says where and when, never what was written: that stays on the lead's page.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
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
    # In English whoever's request flagged the answer (a Welsh respondent's, say): staff have no
    # language of their own yet. The words are marked for when they do.
    with force_locale("en"):
        body = (ngettext("%(num)s new answer in %(where)s may show that someone is at risk of harm.",
                         "%(num)s new answers in %(where)s may show that someone is at risk of harm.",
                         count, where=", ".join(titles)) + "\n\n"
                + ngettext("Read it and record what you did here (sign-in needed):",
                           "Read them and record what you did here (sign-in needed):", count)
                + f"\n{link}\n\n" + _("This email does not contain what was written.") + "\n")
        subject = _("An answer needs a safeguarding lead to read it")
    for lead in leads:
        session.add(OutboxMessage(kind="safeguarding", recipient=lead, subject=subject, body=body))


def listen() -> None:
    event.listen(Session, "before_flush", _tell_leads)
