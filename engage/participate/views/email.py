"""Email for respondents who ask: the link to carry on, or a receipt with their reference code.

The address is used for that one email and not kept: it is in the outbox only until the mail
server has taken the message. Where the site has no mail server the forms are not offered, and a
request that comes anyway is told so.

Each email asked for is counted per response, per email address and per client address
(``RATE_LIMITS`` in config.py), so nobody can make the site email an address over and over; past
a limit the form says so on its address field.
"""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_babel import gettext as _
from flask_babel import ngettext

from surveys import subscriptions

from ... import db, mail
from ...auth import throttle
from ...i18n import current_language, language_args
from ...mail import messages
from ...mail.links import external_url
from .. import bp, state
from ..forms import EmailForm, UpdatesForm
from ..render import localised
from .journey import load, render_save_page


def _too_many_emails(seconds: int) -> str:
    """Refused: when to try again, from the longest window of the limits that refused (a setting,
    so not always an hour)."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return ngettext("You have asked for too many emails. Try again in %(num)s hour.",
                        "You have asked for too many emails. Try again in %(num)s hours.", seconds // 3600)
    minutes = max(1, -(-seconds // 60))
    return ngettext("You have asked for too many emails. Try again in %(num)s minute.",
                    "You have asked for too many emails. Try again in %(num)s minutes.", minutes)


def _mail_or_refuse() -> None:
    if not mail.configured():
        abort(404, _("This site cannot send email. Copy the link or write down the code instead."))


def _within_limits(form: EmailForm, limit: str, response: str) -> bool:
    """Count one email to ``form``'s address against ``limit`` for this response, and against the
    limits per address and per client address (all of them, even when one already refuses). Past
    any, the address field says so."""
    subjects = {limit: response, "email_to": form.email.data.lower(),
                "email_from": throttle.client_address()}
    refused = [name for name, subject in subjects.items() if not throttle.allowed(name, subject)]
    if not refused:
        return True
    windows = current_app.config["RATE_LIMITS"]
    form.email.errors.append(_too_many_emails(max(windows[name][1] for name in refused)))
    return False


def _status(form: EmailForm, refused: bool) -> int:
    return 429 if refused else 400 if form.errors else 200


@bp.post("/<slug>/save/email")
def email_resume_link(slug: str):
    consultation = load(slug)
    respondent = state.require(consultation)
    _mail_or_refuse()
    form = EmailForm()
    link = external_url("participate.resume", slug=slug, token=state.token(consultation),
                        **language_args())
    sent = refused = False
    if form.validate_on_submit():
        refused = not _within_limits(form, "email_me", f"{consultation.id}:{respondent.id}")
        if not refused:
            sent = messages.resume_link(db.session(), consultation, form.email.data, link)
    return render_save_page(consultation, respondent, link, form, sent), _status(form, refused)


@bp.post("/<slug>/done/email")
def email_receipt(slug: str):
    consultation = load(slug, must_be_open=False)
    reference = state.submitted_reference(consultation)
    if reference is None:
        abort(400, _("We could not find your answers in this browser, so we cannot email the code."))
    _mail_or_refuse()
    form = EmailForm()
    sent = refused = False
    if form.validate_on_submit():
        refused = not _within_limits(form, "email_me", f"{consultation.id}:{reference}")
        if not refused:
            sent = messages.receipt(db.session(), consultation, form.email.data, reference)
    return render_template("participate/done.html", consultation=localised(consultation), reference=reference,
                           email_form=form, email_sent=sent, updates_form=UpdatesForm(formdata=None)), \
        _status(form, refused)


@bp.post("/<slug>/updates")
def updates(slug: str):
    """Leave an address to hear the outcome. Stored with nothing that links it to any response; the
    browser keeps which it gave, so that a new one replaces it."""
    consultation = load(slug, must_be_open=False)
    reference = state.submitted_reference(consultation)
    if reference is None:
        abort(400, _("You can ask to hear the outcome after you have sent your answers."))
    _mail_or_refuse()
    form = UpdatesForm()
    subscribed = refused = False
    if form.validate_on_submit():
        refused = not _within_limits(form, "outcome_address", f"{consultation.id}:{reference}")
        if not refused:
            kept = subscriptions.subscribe(db.session(), consultation, form.email.data, current_language(),
                                           replacing=state.outcome_address(consultation))
            state.remember_outcome_address(consultation, kept)
            subscribed = True
    return render_template("participate/done.html", consultation=localised(consultation), reference=reference,
                           email_form=EmailForm(formdata=None), updates_form=form, subscribed=subscribed), \
        _status(form, refused)
