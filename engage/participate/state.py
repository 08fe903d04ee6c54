"""Which response this browser is working on, kept in the signed session cookie.

Only the respondent's random public id and resume token are kept; answers stay on the server.
"""

from __future__ import annotations

from typing import NoReturn

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from surveys.models import Answer, Consultation, Respondent
from surveys.responses import Seen, by_public_id, by_public_id_with_answers, seen_by_public_id

from .. import db
from .render import localised


def _public_id(consultation: Consultation) -> str | None:
    """The random id of the response this browser is working on in ``consultation``, if any."""
    entry = session.get("responses", {}).get(consultation.slug)
    return entry["id"] if entry else None


def current(consultation: Consultation) -> Respondent | None:
    public_id = _public_id(consultation)
    return by_public_id(db.session(), consultation.id, public_id) if public_id else None


def current_with_answers(consultation: Consultation) -> tuple[Respondent | None, list[Answer]]:
    """:func:`current` and the respondent's answers, in one query."""
    public_id = _public_id(consultation)
    return by_public_id_with_answers(db.session(), consultation.id, public_id) if public_id else (None, [])


def seen(consultation: Consultation) -> tuple[Seen | None, list]:
    """The current respondent and their answers, read only, to show a page (see ``responses.Seen``)."""
    public_id = _public_id(consultation)
    return seen_by_public_id(db.session(), consultation.id, public_id) if public_id else (None, [])


def remember(consultation: Consultation, respondent: Respondent, token: str) -> None:
    """This browser now works on ``respondent``'s response. Whoever sent answers from it before is
    forgotten: on a shared device the sent page went on showing their reference code to the next
    person, and the code lets its holder take those answers back."""
    responses = dict(session.get("responses", {}))
    responses[consultation.slug] = {"id": respondent.public_id, "token": token}
    session["responses"] = responses
    session.permanent = True
    forget_submitted(consultation)


def forget(consultation: Consultation) -> None:
    responses = dict(session.get("responses", {}))
    responses.pop(consultation.slug, None)
    session["responses"] = responses


def token(consultation: Consultation) -> str | None:
    return session.get("responses", {}).get(consultation.slug, {}).get("token")


def mark_submitted(consultation: Consultation, reference: str) -> None:
    done = dict(session.get("submitted", {}))
    done[consultation.slug] = reference
    session["submitted"] = done


def sent_from_elsewhere(consultation: Consultation) -> None:
    """The response this browser is working on has been sent, from another browser (with its
    link to carry on): this browser had it open, so it is now told the answers were sent, and
    forgets the response as the browser that sent it did."""
    respondent = current(consultation)
    if respondent is not None and respondent.submitted_at is not None:
        mark_submitted(consultation, respondent.reference)
    forget(consultation)


def forget_submitted(consultation: Consultation) -> None:
    """The answers sent from this browser were taken back: the done page no longer applies."""
    done = dict(session.get("submitted", {}))
    done.pop(consultation.slug, None)
    session["submitted"] = done


def submitted_reference(consultation: Consultation) -> str | None:
    return session.get("submitted", {}).get(consultation.slug)


def require(consultation: Consultation) -> Respondent:
    """The current respondent, or a clear 'your session has ended' page."""
    respondent = current(consultation)
    if respondent is None:
        _ended(consultation)
    return respondent


def require_with_answers(consultation: Consultation) -> tuple[Respondent, list[Answer]]:
    """:func:`require` and the respondent's answers, in one query."""
    respondent, answers = current_with_answers(consultation)
    if respondent is None:
        _ended(consultation)
    return respondent, answers


def require_seen(consultation: Consultation) -> tuple[Seen, list]:
    """:func:`seen`, or a clear 'your session has ended' page."""
    respondent, answers = seen(consultation)
    if respondent is None:
        _ended(consultation)
    return respondent, answers


def _ended(consultation: Consultation) -> NoReturn:
    if submitted_reference(consultation) is not None:
        # This browser sent its answers, then forgot which response they were (so that no one
        # using it next can see or change them): the back button, or a second tab still on a
        # question page. Say they were sent, not that they could not be found.
        if request.method == "POST":
            flash(_("You have already sent your answers, so nothing you changed afterwards was saved."),
                  "info")
        abort(redirect(url_for("participate.done", slug=consultation.slug)))
    abort(ended_page(consultation))


def ended_page(consultation: Consultation) -> Response:
    """The page for a browser that no longer holds the person's response (its cookie ran out or
    was cleared): what happened, and each way on: their saved link, their reference code if they
    sent their answers, or starting again."""
    hours = max(1, round(current_app.permanent_session_lifetime.total_seconds() / 3600))
    html = render_template("participate/ended.html", consultation=localised(consultation), hours=hours,
                           # Its language switch leads here again by an address a link can
                           # open (this request may have been a form sent).
                           switch_path=url_for("participate.resume_here", slug=consultation.slug))
    return make_response(html, 400)


def outcome_address(consultation: Consultation) -> str | None:
    """The id of the address this browser left to hear ``consultation``'s outcome, if any (a new
    one replaces it)."""
    return session.get("outcome", {}).get(consultation.slug)


def remember_outcome_address(consultation: Consultation, subscription_id: str) -> None:
    given = dict(session.get("outcome", {}))
    given[consultation.slug] = subscription_id
    session["outcome"] = given


def forget_outcome_address(consultation: Consultation) -> None:
    given = dict(session.get("outcome", {}))
    given.pop(consultation.slug, None)
    session["outcome"] = given
