"""Email for respondents who ask: the link to carry on, or a receipt with their reference code.

The address is used for that one email and not kept: it is in the outbox only until the mail
server has taken the message. Where the site has no mail server the forms are not offered, and a
request that comes anyway is told so.
"""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _

from surveys import subscriptions

from ... import db, mail
from ...i18n import current_language, language_args
from ...mail import messages
from .. import bp, state
from ..forms import EmailForm, UpdatesForm
from ..render import localised
from .journey import load, render_save_page


def _mail_or_refuse() -> None:
    if not mail.configured():
        abort(404, _("This site cannot send email. Copy the link or write down the code instead."))


@bp.post("/<slug>/save/email")
def email_resume_link(slug: str):
    consultation = load(slug)
    respondent = state.require(consultation)
    _mail_or_refuse()
    form = EmailForm()
    link = url_for(".resume", slug=slug, token=state.token(consultation), _external=True, **language_args())
    sent = False
    if form.validate_on_submit():
        sent = messages.resume_link(db.session(), consultation, form.email.data, link)
    return (render_save_page(consultation, respondent, link, form, sent),
            400 if form.errors else 200)


@bp.post("/<slug>/done/email")
def email_receipt(slug: str):
    consultation = load(slug, must_be_open=False)
    reference = state.submitted_reference(consultation)
    if reference is None:
        abort(400, _("We could not find your answers in this browser, so we cannot email the code."))
    _mail_or_refuse()
    form = EmailForm()
    sent = False
    if form.validate_on_submit():
        sent = messages.receipt(db.session(), consultation, form.email.data, reference)
    return render_template("participate/done.html", consultation=localised(consultation), reference=reference,
                           email_form=form, email_sent=sent, updates_form=UpdatesForm(formdata=None)), \
        (400 if form.errors else 200)


@bp.post("/<slug>/updates")
def updates(slug: str):
    """Leave an address to hear the outcome. Stored with nothing that links it to any response."""
    consultation = load(slug, must_be_open=False)
    reference = state.submitted_reference(consultation)
    if reference is None:
        abort(400, _("You can ask to hear the outcome after you have sent your answers."))
    _mail_or_refuse()
    form = UpdatesForm()
    subscribed = False
    if form.validate_on_submit():
        subscriptions.subscribe(db.session(), consultation, form.email.data, current_language())
        subscribed = True
    return render_template("participate/done.html", consultation=localised(consultation), reference=reference,
                           email_form=EmailForm(formdata=None), updates_form=form, subscribed=subscribed), \
        (400 if form.errors else 200)
