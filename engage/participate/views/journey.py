"""The respondent journey: start → consent → pages → check answers → submit → confirmation."""

from __future__ import annotations

import secrets

import segno
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from surveys import consultations, journey, responses, subscriptions, workshops
from surveys.models import Consultation, utcnow
from surveys.types import get_type

from ... import audit, db, errors, fragments
from ...auth import throttle
from ...groups import smallest_group
from ...i18n import current_language, language_args
from ...mail.links import external_url
from .. import bp, state, structures
from ..forms import ConfirmWithdrawForm, ConsentForm, EmailForm, PageForm, UpdatesForm, WithdrawForm
from ..render import (
    check_answer,
    check_section_key,
    consent_html,
    form_values,
    localised,
    render_page,
    shown_structure,
    submitted_values,
)
from ..results import has_outcome, results_for


def load(slug: str, *, must_be_open: bool = True) -> Consultation:
    """The consultation as it is now (a kept copy: read it, never change it; see structures).
    Archived ones that had opened are still found: their answers are kept until the retention
    date, and people were told they can take them back until then and read the outcome."""
    consultation = structures.consultation(db.session(), slug)
    if consultation is None or not consultations.has_opened(consultation):
        abort(404)
    if must_be_open and consultation.status != "open":
        abort(410, _("This consultation has closed, so it is no longer taking answers. Thank you "
                     "for your interest."))
    return consultation


#: Forms sent by someone part-way through their answers (the others are sent before starting, or
#: after sending, where reloading the page is all it takes).
_ANSWERING = frozenset({"participate.page", "participate.submit", "participate.email_resume_link"})


@bp.errorhandler(CSRFError)
def page_open_too_long(e: CSRFError):
    """A form sent from a page left open too long. After hours away the browser has forgotten the
    person's response too (its cookie ran out with the form's token): reloading, as the usual
    advice says, cannot help them, so they are told what happened and how to carry on."""
    slug = (request.view_args or {}).get("slug")
    consultation = structures.consultation(db.session(), slug) if request.endpoint in _ANSWERING else None
    if (consultation is not None and consultation.status == "open" and state.current(consultation) is None
            and state.submitted_reference(consultation) is None):
        return state.ended_page(consultation)
    return errors.render(400, errors.CSRF_ADVICE)


@bp.get("/<slug>/")
def start(slug: str):
    consultation = load(slug, must_be_open=False)
    respondent = state.current(consultation) if consultation.status == "open" else None
    # The status too: it is read fresh, even when set without an edit time.
    stamp = (*structures.edit_stamp(consultation), consultation.status)
    outcome = has_outcome(consultation)
    # The same page for everyone who has (or has not) started, until the consultation or its
    # outcome changes.
    return fragments.whole_page(
        ("start page", stamp, respondent is not None, outcome),
        lambda: render_template("participate/start.html", consultation=localised(consultation),
                                start_href=url_for(".consent", slug=slug), respondent=respondent,
                                stamp=stamp, outcome=outcome))


@bp.route("/<slug>/consent", methods=["GET", "POST"])
def consent(slug: str):
    consultation = load(slug)
    form = ConsentForm()
    if state.current(consultation) is not None:
        return redirect(url_for(".resume_here", slug=slug))
    if request.method == "POST" and "switch-language" in request.form:
        # The language switch sends this form: the page again in the other language, the box as
        # the person left it, not yet checked or taken as agreement (Continue was not pressed).
        if not PageForm().validate():
            abort(400, _("This page was open too long. Go back, reload the page and try again."))
    elif form.validate_on_submit():
        respondent, token = responses.start_response(db.session(), consultation, locale=current_language())
        state.remember(consultation, respondent, token)
        structure = structures.load(db.session(), consultation)
        return redirect(url_for(".page", slug=slug, key=structure.pages[0].key))
    # The same page for everyone who has not yet agreed (and for each mistake made on it).
    errors = tuple((name, tuple(map(str, problems))) for name, problems in form.errors.items())
    key = ("consent page", structures.edit_stamp(consultation), bool(form.agree.data), errors)
    return fragments.whole_page(
        key, lambda: render_template("participate/consent.html", consultation=localised(consultation),
                                     form=form, consent_html=consent_html(localised(consultation)),
                                     switch_form="consent-form"),
        form), (400 if form.errors else 200)


@bp.get("/<slug>/continue")
def resume_here(slug: str):
    """Carry on where this browser's response stopped."""
    consultation = load(slug)
    respondent = state.require(consultation)
    structure = structures.load(db.session(), consultation)
    page = structure.page(respondent.current_page or "") or structure.pages[0]
    return redirect(url_for(".page", slug=slug, key=page.key))


@bp.route("/<slug>/p/<key>", methods=["GET", "POST"])
def page(slug: str, key: str):
    consultation = load(slug)
    # Showing the page only reads; sending it changes the person's answers and place.
    respondent, stored = (state.require_seen(consultation) if request.method == "GET"
                          else state.require_with_answers(consultation))
    if respondent.submitted_at is not None:
        state.sent_from_elsewhere(consultation)
        return redirect(url_for(".done", slug=slug))
    s = db.session()
    structure = structures.load(s, consultation)
    page = structure.page(key)
    if page is None:
        abort(404)
    answers = journey.keyed(structure, stored)
    changing = request.args.get("change") == "1"
    if not journey.is_visible(structure, page, answers):
        # A stale link or the back button to a page that no longer applies.
        return redirect(url_for(".check", slug=slug))
    questions = structure.questions_on(page)
    form = PageForm()
    errors = {}
    values = form_values(questions, answers)
    if request.method == "POST" and "switch-language" in request.form:
        # The language switch on this page: show what was typed again, in the other language,
        # without saving it or checking it yet (the person has not pressed Continue).
        if not form.validate():
            abort(400, _("This page was open too long. Go back, reload the page and try again."))
        values = submitted_values(request.form)
    elif request.method == "POST" and "save-for-later" in request.form:
        # Save and come back later: keep what was typed here (all of each answer or none of it,
        # a required question left blank does not stop it), then give the link to come back.
        if not form.validate():
            abort(400, _("This page was open too long. Go back, reload the page and try again."))
        not_saved = responses.save_for_later(s, structure, respondent, page, request.form, answers)
        if not not_saved:
            return redirect(url_for(".save_link", slug=slug))
        # An answer that cannot be kept as it is (a reason too long, a budget that does not add up)
        # stays on the page as typed, with what is wrong with it, rather than being dropped on the
        # way out. The page is not saved (the error response rolls it back, as Continue's does):
        # put right or cleared, it is saved whole. Said in the person's language, as Continue's are.
        errors = responses.parse_page([q for q in shown_structure(structure).questions_on(page)
                                       if q.key in not_saved], request.form)[1]
        values = submitted_values(request.form)
    elif request.method == "POST":
        if not form.validate():
            abort(400, _("This page was open too long. Go back, reload the page and try again."))
        saved = responses.save_page(s, structure, respondent, page, request.form, answers)
        if not saved.errors:
            if saved.again:
                return redirect(url_for(".page", slug=slug, key=key, change="1" if changing else None))
            if changing and saved.unanswered is not None:
                # The changed answer made a page apply that asks something required: ask it now,
                # rather than show "Not answered" on the check page and refuse to send.
                return redirect(url_for(".page", slug=slug, key=saved.unanswered.key, change="1"))
            if changing or saved.next_page is None:
                return redirect(url_for(".check", slug=slug))
            return redirect(url_for(".page", slug=slug, key=saved.next_page.key))
        # Said again in the person's language (a message may quote the question's own words).
        errors = responses.parse_page(shown_structure(structure).questions_on(page), request.form)[1] \
            or saved.errors
        values = submitted_values(request.form)
    previous = journey.previous_page(structure, page, answers)
    back = (url_for(".check", slug=slug) if changing else
            url_for(".page", slug=slug, key=previous.key) if previous else url_for(".start", slug=slug))
    visible = journey.visible_pages(structure, answers)
    progress = (visible.index(page) + 1, len(visible)) if page in visible else None
    return render_page(structure, page, values=values, errors=errors, form=form,
                       action=url_for(".page", slug=slug, key=key, change="1" if changing else None),
                       back_href=back, progress=progress,
                       extra={"save_for_later": True}), \
        (400 if errors else 200)


@bp.get("/<slug>/save")
def save_link(slug: str):
    """Save and come back later: the resume link and its QR code."""
    consultation = load(slug)
    respondent = state.require(consultation)
    if respondent.submitted_at is not None:
        state.sent_from_elsewhere(consultation)
        return redirect(url_for(".done", slug=slug))
    token = state.token(consultation)
    # In the language in use: the link is for another phone, or later, where no choice is known.
    link = external_url("participate.resume", slug=slug, token=token, **language_args())
    return render_save_page(consultation, respondent, link, EmailForm(), sent=False)


def render_save_page(consultation: Consultation, respondent, link: str, email_form: EmailForm,
                     sent: bool) -> str:
    """The save page: the resume link, its QR code and expiry, and the form to email it."""
    qr = segno.make(link, error="m").svg_data_uri(scale=4, border=2)
    return render_template("participate/save.html", consultation=localised(consultation), link=link, qr=qr,
                           expires=responses.resume_expires(respondent, consultation),
                           email_form=email_form, email_sent=sent)


@bp.get("/<slug>/resume/<token>")
@throttle.limit("resume", methods=("GET",))
def resume(slug: str, token: str):
    consultation = load(slug)
    respondent = responses.find_by_resume_token(db.session(), token)
    if respondent is None or respondent.consultation_id != consultation.id:
        abort(404)
    if respondent.submitted_at is not None:
        abort(409, _("You have already sent your answers. Thank you for taking part."))
    if responses.resume_expires(respondent, consultation) <= utcnow():
        abort(410, _("This link has expired. Links to carry on last %(days)s days, or until the "
                     "consultation closes.", days=responses.RESUME_DAYS))
    state.remember(consultation, respondent, token)
    return redirect(url_for(".resume_here", slug=slug))


@bp.get("/<slug>/check")
def check(slug: str):
    consultation = load(slug)
    respondent, stored = state.require_seen(consultation)
    if respondent.submitted_at is not None:
        state.sent_from_elsewhere(consultation)
        return redirect(url_for(".done", slug=slug))
    structure = structures.load(db.session(), consultation)
    answers = journey.keyed(structure, stored)
    sections = []
    stamp = structures.edit_stamp(consultation)
    structure = shown_structure(structure)
    typed: dict[str, str] = {}
    for p in journey.visible_pages(structure, answers):
        rows = []
        questions = structure.questions_on(p)
        for q in questions:
            rows.append({"question": q, "answer": check_answer(q, answers.get(q.key), typed),
                         "href": url_for(".page", slug=slug, key=p.key, change="1")
                         + "#" + get_type(q.type).anchor(q)})
        if rows:
            sections.append({"page": p, "rows": rows, "key": check_section_key(stamp, p, questions, answers)})
    last = journey.visible_pages(structure, answers)[-1]
    return fragments.fill(render_template("participate/check.html", consultation=localised(consultation),
                                          sections=sections, form=PageForm(),
                                          back_href=url_for(".page", slug=slug, key=last.key)), typed)


@bp.post("/<slug>/submit")
def submit(slug: str):
    consultation = load(slug)
    if not PageForm().validate():
        abort(400, _("This page was open too long. Go back, reload the page and try again."))
    respondent = state.current(consultation)
    if respondent is None:
        # Already submitted in this browser (double click, back button): nothing counted twice.
        if state.submitted_reference(consultation):
            return redirect(url_for(".done", slug=slug))
        state.require(consultation)
    s = db.session()
    structure = structures.load(s, consultation)
    answers = journey.answers_by_key(s, structure, respondent.id)
    missing = journey.first_unanswered_required(structure, answers)
    if missing is not None:
        flash(_("Answer the questions on this page before you send your answers."), "info")
        return redirect(url_for(".page", slug=slug, key=missing.key, change="1"))
    responses.submit(s, structure, respondent, answers)
    state.mark_submitted(consultation, respondent.reference)
    state.forget(consultation)
    return redirect(url_for(".done", slug=slug))


@bp.get("/<slug>/done")
def done(slug: str):
    consultation = load(slug, must_be_open=False)
    reference = state.submitted_reference(consultation)
    if reference is None:
        return redirect(url_for(".start", slug=slug))
    email_form = EmailForm()
    # The same page for everyone who has sent their answers, but for their reference code.
    stamp = (*structures.edit_stamp(consultation), consultation.status)
    return fragments.whole_page(
        ("done page", stamp, has_outcome(consultation)),
        lambda: render_template("participate/done.html", consultation=localised(consultation),
                                reference=_REFERENCE, email_form=email_form, updates_form=UpdatesForm()),
        email_form, fresh={_REFERENCE: reference})


#: Where the person's own reference code goes in the kept "answers sent" page (random per process,
#: so no page's words can hold it; codes are letters, digits and a hyphen: no markup to escape).
_REFERENCE = f"engage-reference-{secrets.token_hex(12)}"


@bp.get("/<slug>/results")
def results(slug: str):
    consultation = load(slug, must_be_open=False)
    if not consultation.show_results:
        abort(404)
    if state.submitted_reference(consultation) is None:
        abort(403, _("You can see what others said after you have sent your own answers."))
    minimum = smallest_group(consultation)
    return render_template("participate/results.html", consultation=localised(consultation),
                           summaries=results_for(db.session(), consultation, minimum, current_language()),
                           minimum=minimum)


@bp.route("/<slug>/withdraw", methods=["GET", "POST"])
@throttle.limit("withdraw")
def withdraw(slug: str):
    """Take your answers back: type your code, see what will be deleted, then confirm."""
    consultation = load(slug, must_be_open=False)
    form, pending = WithdrawForm(), None
    # The language switch sends the form: shown again in the other language with the code as
    # typed, not yet looked up (Continue was not pressed).
    switching = request.method == "POST" and "switch-language" in request.form
    if not switching and form.validate_on_submit():
        s = db.session()
        try:
            reference = responses.normalise_reference(form.reference.data)
        except responses.BadReference as exc:
            form.reference.errors = [str(exc)]
        else:
            respondent = responses.find_by_reference(s, consultation, reference)
            if respondent is not None:
                return _confirm_withdrawal(consultation, respondent)
            if responses.reference_shared(s, reference):
                # Staff never see codes, and cannot pick out a workshop's or a table's responses:
                # what finds a response for them is words in it (the written answers' search).
                form.reference.errors = [_("This code was given to more than one person by mistake, so "
                                           "it cannot take answers back. The team running this "
                                           "consultation can delete your answers if you tell them some "
                                           "words you wrote in them. If you wrote none, they cannot "
                                           "tell your answers from anyone else's")]
                return render_template("participate/withdraw.html", consultation=localised(consultation),
                                       form=form, pending=None), 400
            if responses.was_withdrawn(s, reference=reference):
                # Taken back before: say so, rather than "not found", which reads as if the
                # answers were still here under some other code.
                return render_template("participate/withdrawn.html", consultation=localised(consultation),
                                       gone=True, already=True)
            if responses.awaits_withdrawal(s, reference):
                return render_template("participate/withdrawn.html", consultation=localised(consultation),
                                       pending=True)
            form.reference.errors = [_("We could not find that reference code for this consultation. "
                                       "Check it and try again")]
            if _tablets_may_still_send(consultation):
                # A tablet may send its answers later than it gave the code (offline): offer to
                # delete them when they come, while a tablet can still send them.
                pending = ConfirmWithdrawForm(formdata=None, reference=reference)
    return render_template("participate/withdraw.html", consultation=localised(consultation), form=form,
                           pending=pending), (400 if form.errors else 200)


def _tablets_may_still_send(consultation: Consultation) -> bool:
    return workshops.tablets_may_still_send(db.session(), consultation,
                                            current_app.config["WORKSHOP_GRACE_MINUTES"])


def _confirm_withdrawal(consultation, respondent):
    """What will be deleted, with the button that deletes it."""
    return render_template("participate/withdraw_confirm.html", consultation=localised(consultation),
                           respondent=respondent,
                           form=ConfirmWithdrawForm(formdata=None, reference=respondent.reference),
                           answers=responses.answer_count(db.session(), respondent))


@bp.post("/<slug>/withdraw/pending")
@throttle.limit("withdraw")
def withdraw_pending(slug: str):
    """Take back answers a workshop tablet has not sent yet: deleted as they arrive; audited
    without the code or any content."""
    consultation = load(slug, must_be_open=False)
    form = ConfirmWithdrawForm()
    s = db.session()
    try:
        reference = responses.normalise_reference(form.reference.data) if form.validate_on_submit() else None
    except responses.BadReference:
        reference = None
    if reference is None or responses.reference_shared(s, reference):
        return redirect(url_for(".withdraw", slug=slug, **language_args()))
    respondent = responses.find_by_reference(s, consultation, reference)
    if respondent is None and not _tablets_may_still_send(consultation):
        # No tablet can send answers any more: none are on their way to delete (a page left open).
        return redirect(url_for(".withdraw", slug=slug, **language_args()))
    if respondent is not None:  # they came in the meantime: see what will be deleted, as usual
        return _confirm_withdrawal(consultation, respondent)
    responses.withdraw_before_arrival(s, consultation, reference)
    audit.record(s, "response.withdrawn_before_arrival", "consultation", consultation.id,
                 {"summary": "a response not yet sent by a workshop tablet will be deleted as it arrives"},
                 user_id=None)
    return render_template("participate/withdrawn.html", consultation=localised(consultation), pending=True)


@bp.post("/<slug>/withdraw/confirm")
@throttle.limit("withdraw")
def withdraw_confirm(slug: str):
    """Delete the answers the person has just seen and confirmed; audited without content."""
    consultation = load(slug, must_be_open=False)
    form = ConfirmWithdrawForm()
    s = db.session()
    try:
        respondent = (responses.find_by_reference(s, consultation, form.reference.data or "")
                      if form.validate_on_submit() else None)
    except responses.BadReference:
        respondent = None
    if respondent is None:
        # Already deleted (a double click) or a stale page: nothing to do, and nothing revealed.
        return render_template("participate/withdrawn.html", consultation=localised(consultation), gone=True)
    responses.withdraw(s, respondent)
    audit.record(s, "response.withdrawn", "consultation", consultation.id,
                 {"summary": "1 response withdrawn by its reference code", "responses": 1}, user_id=None)
    address_deleted = False
    if state.submitted_reference(consultation) == respondent.reference:
        state.forget_submitted(consultation)
        # The address this browser left to hear the outcome is this person's: it goes with their
        # answers. (One left elsewhere is kept apart from any answers, so cannot be found.)
        if (address := state.outcome_address(consultation)) is not None:
            address_deleted = subscriptions.forget(s, consultation, address)
            state.forget_outcome_address(consultation)
    return render_template("participate/withdrawn.html", consultation=localised(consultation), gone=False,
                           address_deleted=address_deleted)
