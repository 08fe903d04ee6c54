"""Operations on a person's response: start, save a page, submit, resume, withdraw, erase.

They add and flush; the caller's unit of work commits. Free text is redacted on the way in, so the
redacted copy is the only one anyone reads.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, inspect
from sqlalchemy import select as core_select
from sqlmodel import Session, func, select

from analysis.redact import redact
from analysis.safeguarding import mentions_safeguarding

from . import journey
from .models import (
    Answer,
    Consultation,
    EvaluationCode,
    Page,
    Respondent,
    SafeguardingReview,
    ThemeAssignment,
    WithdrawnResponse,
    utcnow,
)
from .publication import forget_answers as forget_published_quotes
from .safeguarding import hold_waiting
from .segments import regroup_respondent
from .theme_runs import forget_respondents
from .types import get_type
from .types.base import Parsed
from .wording import gettext

# Reference codes avoid look-alike characters (0/O, 1/I/L) so they can be read over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def start_response(session: Session, consultation: Consultation, channel: str = "online",
                   workshop_id: int | None = None, table_number: int | None = None,
                   locale: str = "en", idempotency_key: str | None = None,
                   reference: str | None = None) -> tuple[Respondent, str]:
    """Create an anonymous respondent who has consented. Returns it and its resume token."""
    token = secrets.token_urlsafe(24)
    respondent = Respondent(
        consultation_id=consultation.id, public_id=secrets.token_urlsafe(18),
        reference=reference or new_reference(), channel=channel, workshop_id=workshop_id,
        table_number=table_number, locale=locale, consent_at=utcnow(),
        resume_token_hash=token_hash(token), idempotency_key=idempotency_key)
    session.add(respondent)
    session.flush()
    return respondent, token


#: A save-and-resume link works this many days after the person started (or until the
#: consultation closes, if that is sooner); the save page states the date.
RESUME_DAYS = 30


def resume_expires(respondent: Respondent, consultation: Consultation) -> datetime:
    """When ``respondent``'s resume link stops working."""
    end = respondent.started_at + timedelta(days=RESUME_DAYS)
    closes = consultation.closes_at
    return min(end, closes) if closes else end


def find_by_resume_token(session: Session, token: str) -> Respondent | None:
    if not token or len(token) > 100:
        return None
    return session.exec(select(Respondent)
                        .where(Respondent.resume_token_hash == token_hash(token))).first()


def save_answer(session: Session, respondent: Respondent, question, parsed: Parsed,
                existing: Answer | None) -> Answer | None:
    """Store (or replace, or clear) one answer. Segment answers also tag the respondent, and every
    answer carries the person's group as it stands (see ``segments``)."""
    if question.is_segment:
        regroup_respondent(session, respondent, parsed.value)
    if parsed.empty:
        if existing is not None:
            session.delete(existing)
        return None
    # Only a change of words moves ``updated_at``: a flagged answer a lead has dealt with waits for
    # them again when it is rewritten, not when its page is saved again as it was (``safeguarding``).
    rewritten = existing is None or existing.text != parsed.text
    answer = existing or Answer(respondent_id=respondent.id, question_id=question.id)
    answer.segment = respondent.segment
    answer.value = parsed.value
    answer.text = parsed.text
    answer.text_redacted = redact(parsed.text) if parsed.text else None
    answer.safeguarding = bool(parsed.text) and mentions_safeguarding(parsed.text)
    if rewritten:
        answer.updated_at = utcnow()
    session.add(answer)
    return answer


def parse_page(questions, form) -> tuple[dict, dict]:
    """Parse every question on a page. Returns (parsed by key, errors by field); all or nothing."""
    from .types import AnswerError

    parsed, errors = {}, {}
    for q in questions:
        try:
            parsed[q.key] = get_type(q.type).parse(q, form)
        except AnswerError as exc:
            errors.update(exc.errors)
    return parsed, errors


@dataclass
class SavedPage:
    """What saving one page did: its errors (then nothing was saved), or where the person goes next."""

    #: Field name -> message, for answers that cannot be accepted.
    errors: dict[str, str] = field(default_factory=dict)
    #: The next page the person should see; None: on to check answers.
    next_page: Page | None = None
    #: The same page should be shown again, for more of an answer given over several screens.
    again: bool = False
    #: The next page with a required question not yet answered (one this page's answers may have
    #: just made apply): where a person changing an answer from "check your answers" goes next.
    unanswered: Page | None = None


#: Built once (every respondent page asks): see consultations.by_slug.
_BY_PUBLIC_ID = select(Respondent).where(Respondent.public_id == bindparam("public_id"),
                                         Respondent.consultation_id == bindparam("consultation_id"))


def by_public_id(session: Session, consultation_id: int, public_id: str) -> Respondent | None:
    """The respondent a browser's session names (by the random id it holds, never the row id)."""
    return session.exec(_BY_PUBLIC_ID, params={"public_id": public_id,
                                               "consultation_id": consultation_id}).first()


_WITH_ANSWERS = select(Respondent, Answer) \
    .outerjoin(Answer, Answer.respondent_id == Respondent.id) \
    .where(Respondent.public_id == bindparam("public_id"),
           Respondent.consultation_id == bindparam("consultation_id"))


@dataclass(frozen=True)
class Seen:
    """A respondent as a page shows them, read only: their answers are rows with the ``question_id``,
    ``value`` and ``text`` of each (what pages, show-if rules and "check your answers" read)."""

    id: int
    submitted_at: datetime | None
    current_page: str | None


_R, _A = Respondent.__table__, Answer.__table__
#: Columns, not ORM objects (a third of the cost; every page shown asks): see by_public_id_with_answers.
_SEEN = core_select(_R.c.id, _R.c.submitted_at, _R.c.current_page, _A.c.question_id, _A.c.value,
                    _A.c.text) \
    .select_from(_R.outerjoin(_A, _A.c.respondent_id == _R.c.id)) \
    .where(_R.c.public_id == bindparam("public_id"), _R.c.consultation_id == bindparam("consultation_id"))


def seen_by_public_id(session: Session, consultation_id: int, public_id: str) -> tuple[Seen | None, list]:
    """The respondent a browser's session names and their answers, to show a page (not to change
    them: :func:`by_public_id_with_answers` gives what ``save_page`` changes), in one query:
    ``(None, [])`` when there is no such respondent."""
    rows = session.connection().execute(_SEEN, {"public_id": public_id,
                                                "consultation_id": consultation_id}).all()
    if not rows:
        return None, []
    first = rows[0]
    return (Seen(first.id, first.submitted_at, first.current_page),
            [row for row in rows if row.question_id is not None])


def by_public_id_with_answers(session: Session, consultation_id: int,
                              public_id: str) -> tuple[Respondent | None, list[Answer]]:
    """:func:`by_public_id` and that respondent's answers, in one query (a question page needs
    both): ``(None, [])`` when there is no such respondent."""
    rows = session.exec(_WITH_ANSWERS, params={"public_id": public_id,
                                               "consultation_id": consultation_id}).all()
    if not rows:
        return None, []
    return rows[0][0], [answer for _, answer in rows if answer is not None]


def save_page(session: Session, structure: journey.Structure, respondent: Respondent, page: Page,
              form: Mapping, answers: dict[str, Answer] | None = None) -> SavedPage:
    """Parse one page's answers from ``form`` and save them, all or nothing; then work out the next
    page from the person's answers as saved, and remember it as where they are. ``answers`` are
    the person's answers by question key, when the caller has just read them (else read here).

    The web journey calls this for each page it is sent; the kiosk calls it for each page of a
    whole response, in order.
    """
    questions = structure.questions_on(page)
    parsed, errors = parse_page(questions, form)
    if errors:
        return SavedPage(errors=errors)
    if answers is None:
        answers = journey.answers_by_key(session, structure, respondent.id)
    answers = dict(answers)
    again = False
    for q in questions:
        old, t = answers.get(q.key), get_type(q.type)
        given = t.merge(q, old.value if old else None, parsed[q.key])
        again = again or t.asks_again(q, parsed[q.key], given)
        saved = save_answer(session, respondent, q, given, old)
        if saved is None:
            answers.pop(q.key, None)
        else:
            answers[q.key] = saved
    # What is stored is what applies: an answer on a page this one has just hidden would otherwise
    # count in staff summaries and exports (unsent responses included) until the person sends.
    answers = forget_hidden(session, structure, answers)
    # Written with the person's place (below) in one flush, at commit or at the caller's own.
    following = journey.next_page(structure, page, answers)
    respondent.current_page = page.key if again else following.key if following else None
    session.add(respondent)
    return SavedPage(next_page=following, again=again,
                     unanswered=journey.first_unanswered_required(structure, answers, after=page))


def forget_hidden(session: Session, structure: journey.Structure,
                  answers: dict[str, Answer]) -> dict[str, Answer]:
    """Delete the person's answers on pages their own answers no longer show; returns the rest.

    Someone who said they work for the NHS, answered the staff page, then changed their group to
    "member of the public" was not asked the staff questions in the end (the kiosk never stores
    them), and their answers must not be counted or published as if they had been."""
    kept = journey.applying(structure, answers)
    for key in answers.keys() - kept.keys():
        answer = answers[key]
        if inspect(answer).persistent:
            session.delete(answer)
        else:  # added by this save, not yet written
            session.expunge(answer)
    return kept


class _Unrequired:
    """A question as it is, but not required: blank is an answer to save (no answer yet). It is
    a draft: a type may keep part of an answer (a reason typed before a point is chosen) that
    Continue would refuse as it stands."""

    required = False
    draft = True

    def __init__(self, question):
        self._question = question

    def __getattr__(self, name):
        return getattr(self._question, name)


def save_for_later(session: Session, structure: journey.Structure, respondent: Respondent, page: Page,
                   form: Mapping, answers: dict[str, Answer]) -> list[str]:
    """Save and come back later: keep what can be kept of the page the person is leaving.

    Continue saves a page all or nothing, and a required question left blank stops it. A person
    who saves to come back later is leaving the page as it is: each answer on it that can be
    accepted is saved (a blank one clears what was saved before, as Continue would for an
    optional question), and each that cannot (a budget that does not add up, a reason that is
    too long) is left as it was, never saved half-way. ``page`` stays where the person is, so
    they carry on from it. Returns the keys of the questions whose answers were not saved."""
    from .types import AnswerError

    not_saved = []
    for q in structure.questions_on(page):
        t = get_type(q.type)
        try:
            parsed = t.parse(_Unrequired(q), form)
        except AnswerError:
            not_saved.append(q.key)
            continue
        old = answers.get(q.key)
        save_answer(session, respondent, q, t.merge(q, old.value if old else None, parsed), old)
    respondent.current_page = page.key
    session.add(respondent)
    return not_saved


def submit(session: Session, structure: journey.Structure, respondent: Respondent,
           answers: dict[str, Answer] | None = None) -> bool:
    """Mark the response submitted. Returns False if it already was (a double submit).
    ``answers`` are the person's answers by question key, when the caller has just read them.

    Answers on pages that the person's own answers no longer show are deleted first (see
    :func:`forget_hidden`; a paper entry or an old response saved before pages were checked as
    they are saved may hold some)."""
    if respondent.submitted_at is not None:
        return False
    answers = dict(journey.answers_by_key(session, structure, respondent.id) if answers is None else answers)
    forget_hidden(session, structure, answers)
    respondent.submitted_at = utcnow()
    session.add(respondent)
    return True


class BadReference(ValueError):
    """A reference code typed so that it cannot be one of ours; the message says why."""


# Look-alikes never appear in a code, so typing one is a misreading: say so rather than guess
# (a guess could delete someone else's answers).
_LOOK_ALIKES = set("01OIL")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.,/]+")


def normalise_reference(typed: str) -> str:
    """The code as stored (``ABCD-2345``) from however a person typed it: spaces, hyphens, dashes
    and dots anywhere, any case. Raises :class:`BadReference` with a message for the person."""
    code = _SEPARATORS.sub("", typed or "").upper()
    if not code:
        raise BadReference(gettext("Enter your reference code"))
    if _LOOK_ALIKES & set(code):
        raise BadReference(gettext("Reference codes never use the letters O, I or L or the numbers 0 "
                                   "or 1. Check each character of your code and try again"))
    if len(code) != 8 or not set(code) <= set(REFERENCE_ALPHABET):
        raise BadReference(gettext("Enter your reference code as it was shown, 8 letters and numbers, "
                                   "like ABCD-2345"))
    return f"{code[:4]}-{code[4:]}"


def find_by_reference(session: Session, consultation: Consultation, typed: str) -> Respondent | None:
    """The respondent with this reference code in this consultation (None if none, or if the code
    was given to more than one person: see :func:`mark_shared`).
    Raises :class:`BadReference` if what was typed cannot be a code."""
    reference = normalise_reference(typed)
    if reference_shared(session, reference):
        return None
    return session.exec(select(Respondent).where(Respondent.consultation_id == consultation.id,
                                                 Respondent.reference == reference)).first()


def answer_count(session: Session, respondent: Respondent) -> int:
    return session.exec(select(func.count()).select_from(Answer)
                        .where(Answer.respondent_id == respondent.id)).one()


def erase(session: Session, respondents) -> int:
    """Delete respondents (a select of their ids) with everything that holds their words:
    answers, theme placings, blind-check codes and safeguarding reviews. Returns how many."""
    forget_respondents(session, respondents)  # their words leave theme quotes and runs too
    forget_published_quotes(session, respondents)  # and the quotes approved for "You said, we did"
    answers = select(Answer.id).where(Answer.respondent_id.in_(respondents))
    session.exec(delete(EvaluationCode).where(EvaluationCode.answer_id.in_(answers)))
    session.exec(delete(ThemeAssignment).where(ThemeAssignment.answer_id.in_(answers)))
    session.exec(delete(SafeguardingReview).where(SafeguardingReview.answer_id.in_(answers)))
    session.exec(delete(Answer).where(Answer.respondent_id.in_(respondents)))
    return session.exec(delete(Respondent).where(Respondent.id.in_(respondents))).rowcount


def withdraw(session: Session, respondent: Respondent) -> None:
    """Delete one person's answers and record of taking part (they asked, by code or by phone).

    Hashes of the response's kiosk key and reference code are kept (see ``WithdrawnResponse``),
    so a tablet sending it again stores nothing and the code is never given again. A flagged
    answer no safeguarding lead has dealt with yet is held for the leads only (see ``safeguarding``)."""
    hold_waiting(session, respondent.id, respondent.consultation_id)
    session.add_all(WithdrawnResponse(token_hash=h, consultation_id=respondent.consultation_id)
                    for h in _withdrawn_hashes(respondent.idempotency_key, respondent.reference))
    erase(session, select(Respondent.id).where(Respondent.id == respondent.id))
    session.expunge(respondent)


def _withdrawn_hashes(key: str | None = None, reference: str | None = None) -> list[str]:
    return [token_hash(f"{kind}:{value}") for kind, value in (("key", key), ("reference", reference))
            if value]


def withdrawals(session: Session) -> list[tuple[str, int]]:
    """Every withdrawal recorded (hash, consultation id): what a restore carries over. None in a
    database from before withdrawals were recorded."""
    if not inspect(session.connection()).has_table(WithdrawnResponse.__tablename__):
        return []
    return list(session.exec(select(WithdrawnResponse.token_hash, WithdrawnResponse.consultation_id)).all())


def withdraw_again(session: Session, recorded: list[tuple[str, int]]) -> int:
    """After a backup is restored: withdraw again every response taken back since it was made.

    ``recorded`` is :func:`withdrawals` of the database before the restore. A withdrawal the
    restored database does not hold is recorded again, and a response whose kiosk key or reference
    code it names is withdrawn (with :func:`withdraw`, as if just asked). Returns how many."""
    held = {h for h, _ in withdrawals(session)}
    consultations = set(session.exec(select(Consultation.id)).all())
    missing = [(h, c) for h, c in recorded if h not in held and c in consultations]
    if not missing:
        return 0
    wanted = {h for h, _ in missing}
    respondents = session.exec(select(Respondent).where(
        Respondent.consultation_id.in_({c for _, c in missing}))).all()
    again = [r for r in respondents if wanted & set(_withdrawn_hashes(r.idempotency_key, r.reference))]
    for respondent in again:
        wanted -= set(_withdrawn_hashes(respondent.idempotency_key, respondent.reference))
        withdraw(session, respondent)
    # Withdrawals of responses the backup does not hold (a code taken back before it arrived).
    session.add_all(WithdrawnResponse(token_hash=h, consultation_id=c) for h, c in missing if h in wanted)
    session.flush()
    return len(again)


def withdraw_before_arrival(session: Session, consultation: Consultation, reference: str) -> None:
    """Take back a response not here yet: a workshop tablet shows its code at once but may send
    the answers later (offline). When they come they are stored and withdrawn at once
    (``workshops.store``), as if the person had withdrawn them then. ``reference`` as stored."""
    if not awaits_withdrawal(session, reference):
        session.add(WithdrawnResponse(token_hash=token_hash(f"pending:{reference}"),
                                      consultation_id=consultation.id))


def mark_shared(session: Session, consultation: Consultation, reference: str) -> None:
    """Record that ``reference`` was shown to more than one person (a workshop tablet offline
    handed it out twice): it then takes back nobody's answers, as it cannot say whose they are."""
    if not reference_shared(session, reference):
        session.add(WithdrawnResponse(token_hash=token_hash(f"shared:{reference}"),
                                      consultation_id=consultation.id))
        session.flush()


def reference_shared(session: Session, reference: str) -> bool:
    """Whether ``reference`` (as stored) was shown to more than one person."""
    return session.get(WithdrawnResponse, token_hash(f"shared:{reference}")) is not None


def awaits_withdrawal(session: Session, reference: str) -> bool:
    """Whether the response with this code was taken back before it arrived."""
    return session.get(WithdrawnResponse, token_hash(f"pending:{reference}")) is not None


def was_withdrawn(session: Session, key: str | None = None, reference: str | None = None) -> bool:
    """Whether a response with this kiosk key (or this reference code) was taken back."""
    hashes = _withdrawn_hashes(key, reference)
    return bool(hashes) and session.exec(select(WithdrawnResponse.token_hash)
                                         .where(WithdrawnResponse.token_hash.in_(hashes))).first() is not None
