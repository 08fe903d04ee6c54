"""Responses: totals and funnel, summaries of every closed question, written answers, one respondent."""

from __future__ import annotations

from typing import NamedTuple

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from sqlmodel import Session

from surveys import builder, consultations, response_export, summaries, written_answers
from surveys import responses as response_ops
from surveys.models import CHANNELS, Consultation, Question, Respondent
from surveys.response_export import Asked
from surveys.translations import SOURCE, localise_page, offers
from surveys.types import get_type
from surveys.types.base import whole_number

from ... import db, reading
from ...audit import record
from ...auth.access import admin_required, consultation_or_refuse
from ...i18n import current_language
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


def _pages(s, consultation):
    """The consultation's pages titled in the facilitator's language where the consultation gives
    it (else as written, marked English)."""
    pages, language = builder.pages_of(s, consultation), current_language()
    if language == SOURCE or not offers(consultation, language):
        return pages
    return [localise_page(p, consultation, language) for p in pages]


def _question_pages(s, consultation, questions, pages=None):
    """Pages with at least one closed question (each gets a summaries page); ``pages`` from
    :func:`_pages`."""
    pages = pages if pages is not None else _pages(s, consultation)
    closed = {q.page_id for q in questions if get_type(q.type).summarised}
    return [p for p in pages if p.id in closed]


class Responses(NamedTuple):
    """What every responses page (and the responses download) starts from."""

    consultation: Consultation
    session: Session
    #: The consultation's questions as written, in order.
    questions: list[Question]
    #: The same questions as the facilitator reads them (``reading.asked``), in order.
    asked: list[Asked]
    #: Each group's name by key, as the segment question is read (as the download names them).
    segment_labels: dict[str, str]
    filters: summaries.Filters


def responses_context(slug) -> Responses:
    """The consultation if this account may see it, the request's session, its questions as written
    and as read, its groups, and the filters asked for."""
    consultation = consultation_or_refuse(slug)
    s = db.session()
    questions = builder.questions_of(s, consultation)
    asked = reading.asked(consultation, questions)
    segment_labels = response_export.group_names(asked)
    return Responses(consultation, s, questions, asked, segment_labels, _filters(list(segment_labels)))


@bp.get("/c/<slug>/responses")
@login_required
def responses(slug):
    consultation, s, questions, _asked, segment_labels, filters = responses_context(slug)
    pages = _pages(s, consultation)
    counts = summaries.totals(s, consultation, pages, filters)
    question_pages = _question_pages(s, consultation, questions, pages)
    return render_template("facilitate/responses.html", consultation=consultation, totals=counts,
                           segment_labels=segment_labels, filters=filters, question_pages=question_pages,
                           text_questions=[q for q in questions if not get_type(q.type).summarised])


@bp.get("/c/<slug>/responses/questions/<key>")
@login_required
def response_summaries(slug, key):
    consultation, s, questions, asked, segment_labels, filters = responses_context(slug)
    pages = _pages(s, consultation)
    page = next((p for p in pages if p.key == key), None)
    if page is None:
        abort(404)
    on_page = [a for a in asked if a.question.page_id == page.id and get_type(a.question.type).summarised]
    if not on_page:
        abort(404)
    shown = list(segment_labels) if not filters.segment else [filters.segment]
    results = response_export.each_as_read(
        on_page, lambda qs: summaries.question_summaries(s, qs, shown, filters))
    read = {a.question.id: a for a in asked}
    written = {q.id: q for q in questions}
    as_written = response_export.group_names([Asked(q, True) for q in questions])  # English names
    sections = []
    for a in on_page:
        q, lang = a.question, reading.lang_of(a)
        # The question it repeats, named in this section's language (marked where it cannot be).
        original, original_lang = None, None
        if (first := read.get(q.repeat_of_id)) is not None:
            original, original_lang = ((written[first.question.id], None) if lang
                                       else (first.question, reading.lang_of(first)))
        with reading.in_words_of(a):  # each question's section wholly in its language
            sections.append(Markup(render_template(  # noqa: S704 - a template of ours, autoescaped
                "facilitate/_summary.html", q=q, lang=lang, result=results[q.id],
                change=summaries.opinion_change(s, q, filters) if q.repeat_of_id else None,
                original=original, original_lang=original_lang, diverging=diverging,
                segment_labels=as_written if lang else segment_labels)))
    question_pages = _question_pages(s, consultation, questions, pages)
    return render_template("facilitate/summaries.html", consultation=consultation, page=page,
                           sections=sections, segment_labels=segment_labels, filters=filters,
                           question_pages=question_pages)


@bp.get("/c/<slug>/responses/text")
@login_required
def response_texts(slug):
    consultation, s, questions, asked, segment_labels, filters = responses_context(slug)
    by_id = {a.question.id: a.question for a in asked}
    langs = {a.question.id: reading.lang_of(a) for a in asked}
    raw = request.args.get("question", "")
    question = next((a.question for a in asked if a.question.key == raw), None)
    search = request.args.get("q", "").strip()[:MAX_SEARCH]
    found = written_answers.page(s, consultation, filters, question.id if question else None, search,
                                 before=_cursor("before"), after=_cursor("after"))
    return render_template("facilitate/texts.html", consultation=consultation, found=found,
                           search=search, question=question, by_id=by_id, langs=langs,
                           questions=[a.question for a in asked if get_type(a.question.type).may_have_text],
                           segment_labels=segment_labels, filters=filters,
                           question_pages=_question_pages(s, consultation, questions))


def _person(s, consultation, number: int) -> Respondent:
    """A respondent by internal number. Staff never see reference codes: a code is what lets a
    person take their answers back, so it stays with them."""
    person = s.get(Respondent, number)
    if person is None or person.consultation_id != consultation.id:
        abort(404)
    return person


@bp.get("/c/<slug>/responses/r/<id:number>")
@login_required
def respondent(slug, number):
    consultation, s, _questions, asked, segment_labels, _filters_ = responses_context(slug)
    person = _person(s, consultation, number)
    pages = consultations.pages_by_id(s, consultation.id)
    shown = response_export.each_as_read(  # each answer in its question's language
        asked, lambda qs: {q.id: said for q, said in summaries.respondent_answers(s, person, qs)})
    answers = [(a.question, shown[a.question.id], reading.lang_of(a))
               for a in asked if a.question.id in shown]
    return render_template("facilitate/respondent.html", consultation=consultation, person=person,
                           answers=answers, pages=pages, segment_labels=segment_labels)


@bp.route("/c/<slug>/responses/r/<id:number>/withdraw", methods=["GET", "POST"])
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
                                   "the deletion and your reason are recorded in the audit trail. An answer "
                                   "flagged for the safeguarding lead that they have not dealt with yet is "
                                   "kept for them alone until they have."),
                           submit=_("Delete this response"),
                           cancel=url_for(".respondent", slug=slug, number=number)), \
        (400 if form.errors else 200)
