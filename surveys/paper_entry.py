"""Responses given on paper or by phone, typed in by staff.

The whole consultation is entered at once, page by page in order, with the same parsing and the
same rules as the web journey: a page hidden by routing (given the answers entered before it) is
skipped and its inputs ignored; every shown page's answers are checked as the person's own would
be. Nothing is saved unless everything is valid. The same form typed in twice is caught before
it is saved (:func:`same_as_earlier`). A second member of staff may check the typed answers
against the paper; the one who typed them cannot check their own. Operations add and flush;
callers commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from .journey import Structure, rule_met
from .models import Answer, Respondent, ResponseEntry, User, utcnow
from .responses import parse_page, save_answer, start_response, submit
from .wording import N_, Refusal

ENTRY_CHANNELS = ("paper", "phone")
#: How far back a form typed in again is looked for: typing in a run of workshops' forms takes weeks.
SAME_FORM_WITHIN = timedelta(days=30)


class EntryError(Refusal):
    """An entry that cannot be made or checked; the message is shown to the person entering it."""


@dataclass
class _Given:
    """A parsed answer shaped like a stored one, so routing reads it the same way."""

    value: object
    text: str | None


class _LeftBlankAllowed:
    """A question read as not required (for :func:`parse_page`); everything else is the question's."""

    required = False

    def __init__(self, question):
        self._question = question

    def __getattr__(self, name):
        return getattr(self._question, name)


def check_entry(structure: Structure, form, channel: str = "paper") -> tuple[dict, dict]:
    """Parse every page the person would have been shown. Returns (parsed by question key, errors).

    On paper a question left blank is what the person gave, even one the form asked them to
    answer: the typist cannot ask, and must not make an answer up to get past a required
    question (a form with a page missing could not be typed in at all). By phone it is asked."""
    given: dict[str, _Given] = {}
    parsed_all, errors = {}, {}
    for page in structure.pages:
        if page.kind != "questions" or not rule_met(page, given):
            continue
        questions = structure.questions_on(page)
        if channel == "paper":
            questions = [_LeftBlankAllowed(q) for q in questions]
        parsed, page_errors = parse_page(questions, form)
        errors.update(page_errors)
        for key, p in parsed.items():
            parsed_all[key] = p
            if not p.empty:
                given[key] = _Given(p.value, p.text)
    return parsed_all, errors


def enter_response(session: Session, structure: Structure, parsed: dict, channel: str,
                   entered_by: int) -> Respondent:
    """Store a checked entry as a submitted response on ``channel`` (paper or phone)."""
    if channel not in ENTRY_CHANNELS:
        raise EntryError(N_("Choose paper or phone"))
    respondent, _token = start_response(session, structure.consultation, channel=channel)
    respondent.resume_token_hash = None  # nobody resumes a paper response
    for q in structure.questions:
        if q.key in parsed:
            save_answer(session, respondent, q, parsed[q.key], None)
    submit(session, structure, respondent)
    session.add(ResponseEntry(respondent_id=respondent.id, entered_by=entered_by))
    session.flush()
    return respondent


@dataclass(frozen=True)
class Earlier:
    """A response typed in before with the same answers."""

    number: int  # the response's internal number, written on its paper
    entered_at: datetime


def _same(value, text) -> tuple[str, str]:
    """An answer as compared: its value in one spelling (a stored one has been through JSON)."""
    return json.dumps(value, sort_keys=True), (text or "").strip()


def same_as_earlier(session: Session, structure: Structure, parsed: dict, channel: str,
                    now: datetime | None = None) -> Earlier | None:
    """The latest response typed in on ``channel`` for this consultation in the last
    ``SAME_FORM_WITHIN`` whose answers are exactly ``parsed`` (from :func:`check_entry`): most
    likely the same paper typed in again, though two people can give the same answers, so the
    caller asks before saving rather than refusing."""
    ids = {q.key: q.id for q in structure.questions}
    given = {(ids[key], *_same(p.value, p.text)) for key, p in parsed.items() if not p.empty and key in ids}
    since = (now or utcnow()) - SAME_FORM_WITHIN
    earlier = session.exec(
        select(Respondent.id, ResponseEntry.entered_at)
        .join(ResponseEntry, ResponseEntry.respondent_id == Respondent.id)
        .where(Respondent.consultation_id == structure.consultation.id, Respondent.channel == channel,
               ResponseEntry.entered_at >= since)
        .order_by(ResponseEntry.entered_at.desc(), Respondent.id.desc())).all()
    if not earlier:
        return None
    stored: dict[int, set] = {number: set() for number, _at in earlier}
    for number, question_id, value, text in session.exec(
            select(Answer.respondent_id, Answer.question_id, Answer.value, Answer.text)
            .where(Answer.respondent_id.in_(list(stored)))):
        stored[number].add((question_id, *_same(value, text)))
    return next((Earlier(number, at) for number, at in earlier if stored[number] == given), None)


@dataclass(frozen=True)
class EntryRow:
    number: int  # the response's internal number (staff never see reference codes)
    channel: str
    entered_at: datetime
    entered_by: str | None
    checked_by: str | None
    checked_at: datetime | None


def entries(session: Session, consultation_id: int, limit: int = 200) -> list[EntryRow]:
    """Typed-in responses, newest first, with who entered and who checked each."""
    checker = User.__table__.alias("checker")
    rows = session.exec(
        select(Respondent.id, Respondent.channel, ResponseEntry.entered_at, User.email,
               checker.c.email, ResponseEntry.checked_at)
        .join(ResponseEntry, ResponseEntry.respondent_id == Respondent.id)
        .outerjoin(User, User.id == ResponseEntry.entered_by)
        .outerjoin(checker, checker.c.id == ResponseEntry.checked_by)
        .where(Respondent.consultation_id == consultation_id)
        .order_by(ResponseEntry.entered_at.desc(), Respondent.id.desc()).limit(limit)).all()
    return [EntryRow(*row) for row in rows]


def entry_for(session: Session, consultation_id: int,
              number: int) -> tuple[Respondent, ResponseEntry] | None:
    row = session.exec(select(Respondent, ResponseEntry)
                       .join(ResponseEntry, ResponseEntry.respondent_id == Respondent.id)
                       .where(Respondent.consultation_id == consultation_id,
                              Respondent.id == number)).first()
    return tuple(row) if row else None


def confirm_check(session: Session, entry: ResponseEntry, user_id: int) -> None:
    if entry.entered_by == user_id:
        raise EntryError(N_("Someone else must check this: you typed it in."))
    if entry.checked_by is not None:
        raise EntryError(N_("This response has already been checked."))
    entry.checked_by, entry.checked_at = user_id, utcnow()
    session.add(entry)
    session.flush()
