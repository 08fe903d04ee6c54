"""Responses: totals and funnel, summaries of every closed question, written answers, one respondent."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from surveys import builder, consultations, summaries, written_answers
from surveys import responses as response_ops
from surveys.models import CHANNELS, Question, Respondent
from surveys.types import get_type
from surveys.types.base import whole_number

from ... import db
from ...audit import record
from ...auth.access import admin_required, consultation_or_refuse
from .. import bp
from ..charts import diverging
from ..forms import StaffWithdrawForm

MAX_SEARCH = 200


def _filters(segments: list[str]) -> summaries.Filters:
    channel = request.args.get("channel") or None
    segment = request.args.get("segment") or None
    return summaries.Filters(channel=channel if channel in CHANNELS else None,
                             segment=segment if segment in segments else None,
                             completed_only=request.args.get("completed") == "1")


def _cursor(name: str) -> int | None:
    """An answer id a page of written answers starts beyond (None if absent or not an id)."""
    number = whole_number(request.args.get(name, ""))
    return number if number is not None and 0 <= number < 2**62 else None


def _question_pages(s, consultation, questions, pages=None):
    """Pages with at least one closed question (each gets a summaries page)."""
    pages = pages if pages is not None else builder.pages_of(s, consultation)
    closed = {q.page_id for q in questions if get_type(q.type).summarised}
    return [p for p in pages if p.id in closed]


def responses_context(slug):
    """What every responses page (and the responses download) starts from: the consultation if this
    account may see it, the request's session, its questions, its groups, and the filters asked for."""
    consultation = consultation_or_refuse(slug)
    s = db.session()
    questions = builder.questions_of(s, consultation)
    segment_q = next((q for q in questions if q.is_segment), None)
    segment_labels = {str(o["key"]): o["label"] for o in (segment_q.config.get("options", [])
                                                           if segment_q else [])}
    filters = _filters(list(segment_labels))
    return consultation, s, questions, segment_labels, filters


@bp.get("/c/<slug>/responses")
@login_required
def responses(slug):
    consultation, s, questions, segment_labels, filters = responses_context(slug)
    pages = builder.pages_of(s, consultation)
    counts = summaries.totals(s, consultation, pages, filters)
    question_pages = _question_pages(s, consultation, questions, pages)
    return render_template("facilitate/responses.html", consultation=consultation, totals=counts,
                           segment_labels=segment_labels, filters=filters, question_pages=question_pages,
                           text_questions=[q for q in questions if not get_type(q.type).summarised])


@bp.get("/c/<slug>/responses/questions/<key>")
@login_required
def response_summaries(slug, key):
    consultation, s, questions, segment_labels, filters = responses_context(slug)
    pages = builder.pages_of(s, consultation)
    page = next((p for p in pages if p.key == key), None)
    if page is None:
        abort(404)
    on_page = [q for q in questions if q.page_id == page.id and get_type(q.type).summarised]
    if not on_page:
        abort(404)
    shown = list(segment_labels) if not filters.segment else [filters.segment]
    results = summaries.question_summaries(s, on_page, shown, filters)
    changes = {q.id: summaries.opinion_change(s, q, filters) for q in on_page if q.repeat_of_id}
    originals = {q.id: s.get(Question, q.repeat_of_id) for q in on_page if q.repeat_of_id}
    question_pages = _question_pages(s, consultation, questions, pages)
    return render_template("facilitate/summaries.html", consultation=consultation, page=page,
                           questions=on_page, results=results, changes=changes, originals=originals,
                           segment_labels=segment_labels, filters=filters, question_pages=question_pages,
                           diverging=diverging)


@bp.get("/c/<slug>/responses/text")
@login_required
def response_texts(slug):
    consultation, s, questions, segment_labels, filters = responses_context(slug)
    by_id = {q.id: q for q in questions}
    raw = request.args.get("question", "")
    question = next((q for q in questions if q.key == raw), None)
    search = request.args.get("q", "").strip()[:MAX_SEARCH]
    found = written_answers.page(s, consultation, filters, question.id if question else None, search,
                                 before=_cursor("before"), after=_cursor("after"))
    return render_template("facilitate/texts.html", consultation=consultation, found=found,
                           search=search, question=question, by_id=by_id,
                           questions=[q for q in questions if get_type(q.type).may_have_text],
                           segment_labels=segment_labels, filters=filters,
                           question_pages=_question_pages(s, consultation, questions))


def _person(s, consultation, number: int) -> Respondent:
    """A respondent by internal number. Staff never see reference codes: a code is what lets a
    person take their answers back, so it stays with them."""
    person = s.get(Respondent, number) if 0 < number < 2**63 else None
    if person is None or person.consultation_id != consultation.id:
        abort(404)
    return person


@bp.get("/c/<slug>/responses/r/<int:number>")
@login_required
def respondent(slug, number):
    consultation, s, questions, segment_labels, _ = responses_context(slug)
    person = _person(s, consultation, number)
    pages = consultations.pages_by_id(s, consultation.id)
    return render_template("facilitate/respondent.html", consultation=consultation, person=person,
                           answers=summaries.respondent_answers(s, person, questions), pages=pages,
                           segment_labels=segment_labels)


@bp.route("/c/<slug>/responses/r/<int:number>/withdraw", methods=["GET", "POST"])
@admin_required
def withdraw_respondent(slug, number):
    """Delete a response for a person who asked by phone or letter (admins only, with a reason)."""
    consultation = consultation_or_refuse(slug)
    s = db.session()
    person = _person(s, consultation, number)
    form = StaffWithdrawForm()
    if form.validate_on_submit():
        response_ops.withdraw(s, person)
        record(s, "response.withdrawn_by_staff", "consultation", consultation.id,
               {"summary": "1 response withdrawn by staff at the person's request", "responses": 1,
                "reason": form.reason.data.strip()})
        flash(_("Response %(number)s has been deleted. The reason is in the audit trail.", number=number),
              "success")
        return redirect(url_for(".responses", slug=slug))
    return render_template("facilitate/form.html", consultation=consultation, form=form,
                           heading=_("Delete response %(number)s", number=number),
                           intro=_("Use this when the person asks by phone or letter and cannot use their "
                                   "reference code. Every answer in this response is deleted for good, and "
                                   "the deletion and your reason are recorded in the audit trail."),
                           submit=_("Delete this response"),
                           cancel=url_for(".respondent", slug=slug, number=number)), \
        (400 if form.errors else 200)
