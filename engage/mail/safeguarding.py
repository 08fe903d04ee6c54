"""Tell the safeguarding leads by email when an answer is newly flagged, or a flagged answer a lead
had dealt with is rewritten and so waits for them again (no answer text in it).

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

from surveys import safeguarding
from surveys.models import Answer, Consultation, OutboxMessage, Question

from . import configured
from .links import external_url


def _rewritten(answer: Answer) -> bool:
    """The answer's words are being changed (not only saved again as they were)."""
    history = inspect(answer).attrs.text.history
    return bool(history.deleted) and history.deleted[0] != answer.text


def _newly_flagged(session: Session) -> tuple[list[Answer], list[Answer]]:
    """Answers flagged for the first time, and flagged answers a lead had dealt with that the
    person has rewritten (back on the leads' list to read again: ``surveys.safeguarding``)."""
    new, rewritten = [], []
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Answer) or not obj.safeguarding:
            continue
        if obj in session.new or False in inspect(obj).attrs.safeguarding.history.deleted:
            new.append(obj)
        elif _rewritten(obj):
            rewritten.append(obj)
    if rewritten:
        with session.no_autoflush:
            reviewed = safeguarding.reviewed_among(session, [a.id for a in rewritten])
        rewritten = [a for a in rewritten if a.id in reviewed]
    return new, rewritten


def _titles(session: Session, answers: list[Answer]) -> str:
    """The titles of the consultations the answers are in, for the email."""
    with session.no_autoflush:
        return ", ".join(sorted({session.get(Consultation, session.get(Question, a.question_id)
                                             .consultation_id).title for a in answers}))


def _tell_leads(session: Session, _context, _instances) -> None:
    if not has_app_context() or not configured():
        return
    leads = sorted(current_app.config.get("SAFEGUARDING_LEADS") or ())
    if not leads:
        return
    new, rewritten = _newly_flagged(session)
    flagged = new + rewritten
    if not flagged:
        return
    new_in, rewritten_in = _titles(session, new), _titles(session, rewritten)
    link = external_url("facilitate.safeguarding_list")
    count = len(flagged)
    # In English whoever's request flagged the answer (a Welsh respondent's, say): staff have no
    # language of their own yet. The words are marked for when they do.
    with force_locale("en"):
        said = []
        if new:
            said.append(ngettext("%(num)s new answer in %(where)s may show that someone is at risk of harm.",
                                 "%(num)s new answers in %(where)s may show that someone is at risk of harm.",
                                 len(new), where=new_in))
        if rewritten:
            said.append(ngettext(
                "%(num)s answer in %(where)s that a lead had dealt with has been changed by the person "
                "who wrote it, and may show that someone is at risk of harm.",
                "%(num)s answers in %(where)s that a lead had dealt with have been changed by the people "
                "who wrote them, and may show that someone is at risk of harm.",
                len(rewritten), where=rewritten_in))
        body = ("\n\n".join(said) + "\n\n"
                + ngettext("Read it and record what you did here (sign-in needed):",
                           "Read them and record what you did here (sign-in needed):", count)
                + f"\n{link}\n\n" + _("This email does not contain what was written.") + "\n")
        subject = _("An answer needs a safeguarding lead to read it")
    for lead in leads:
        session.add(OutboxMessage(kind="safeguarding", recipient=lead, subject=subject, body=body))


def listen() -> None:
    event.listen(Session, "before_flush", _tell_leads)
