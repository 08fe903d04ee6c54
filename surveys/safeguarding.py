"""Possible safeguarding disclosures: answers flagged when saved, read in full by a named lead.

Redaction hides names and contact details from everyone who reads answers, which is right for
analysis and exports but would hide exactly what a safeguarding lead needs to act on. So flagged
answers are listed here with the words as written, for the named lead only, who records each as
dealt with. An answer changed after it was dealt with (the person went back to it) is listed to
review again.

A person who takes their answers back takes these too, except one still waiting for a lead: that
is held for the leads (``HeldDisclosure``, without any link to the person) until a lead records
what they did, and then deleted. The lead has been told it needs reading, and the consent note
promises they will read it; the withdrawal pages say so.

Operations add and flush; callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import or_
from sqlmodel import Session, func, select

from analysis.safeguarding import mentions_safeguarding

from .models import (
    OUTCOMES,
    Answer,
    Consultation,
    HeldDisclosure,
    Question,
    Respondent,
    SafeguardingReview,
    User,
    utcnow,
)
from .wording import N_, Refusal


@dataclass(frozen=True)
class Flagged:
    answer_id: int
    text: str
    consultation: str
    slug: str
    question: str
    respondent_id: int  # an internal number: reference codes stay with the person
    channel: str
    submitted_at: datetime | None
    updated_at: datetime
    outcome: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None


def _dealt_with(dealt_with: bool):
    reviewed = SafeguardingReview.reviewed_at  # NULL when there is no review (outer join)
    return reviewed >= Answer.updated_at if dealt_with else or_(reviewed.is_(None),
                                                                reviewed < Answer.updated_at)


def _flagged(dealt_with: bool):
    state = _dealt_with(dealt_with)
    return (select(Answer.id, Answer.text, Consultation.title, Consultation.slug, Question.prompt,
                   Respondent.id, Respondent.channel, Respondent.submitted_at, Answer.updated_at,
                   SafeguardingReview.outcome, SafeguardingReview.reviewed_at, User.email)
            .join(Question, Question.id == Answer.question_id)
            .join(Respondent, Respondent.id == Answer.respondent_id)
            .join(Consultation, Consultation.id == Respondent.consultation_id)
            .outerjoin(SafeguardingReview, SafeguardingReview.answer_id == Answer.id)
            .outerjoin(User, User.id == SafeguardingReview.user_id)
            .where(Answer.safeguarding.is_(True), state))


def count_flagged(session: Session, dealt_with: bool = False) -> int:
    query = _flagged(dealt_with).with_only_columns(func.count()).order_by(None)
    return session.exec(query).one()[0]


def flagged_answers(session: Session, offset: int, limit: int, dealt_with: bool = False) -> list[Flagged]:
    """Flagged answers across every consultation, newest first (also those not yet submitted:
    a person at risk may stop before the end)."""
    rows = session.exec(_flagged(dealt_with).order_by(Answer.updated_at.desc(), Answer.id.desc())
                        .offset(offset).limit(limit)).all()
    return [Flagged(*row) for row in rows]


@dataclass(frozen=True)
class Held:
    """A flagged answer whose writer took their answers back before a lead dealt with it."""

    id: int
    text: str
    consultation: str
    question: str | None  # None: the question has since been deleted
    flagged_at: datetime
    held_at: datetime


def hold_waiting(session: Session, respondent_id: int, consultation_id: int) -> int:
    """Keep, for the leads only, each of this person's flagged answers that no lead has dealt
    with, before their answers are deleted (see the module's note). Returns how many."""
    waiting = session.exec(select(Answer.question_id, Answer.text, Answer.updated_at)
                           .outerjoin(SafeguardingReview, SafeguardingReview.answer_id == Answer.id)
                           .where(Answer.respondent_id == respondent_id, Answer.safeguarding.is_(True),
                                  Answer.text.is_not(None), _dealt_with(False))).all()
    session.add_all(HeldDisclosure(consultation_id=consultation_id, question_id=question_id, text=text,
                                   flagged_at=flagged_at) for question_id, text, flagged_at in waiting)
    return len(waiting)


def count_held(session: Session) -> int:
    return session.exec(select(func.count()).select_from(HeldDisclosure)).one()


def held_disclosures(session: Session) -> list[Held]:
    """Every held disclosure, newest first: few (each waits only until a lead deals with it)."""
    rows = session.exec(select(HeldDisclosure.id, HeldDisclosure.text, Consultation.title, Question.prompt,
                               HeldDisclosure.flagged_at, HeldDisclosure.held_at)
                        .join(Consultation, Consultation.id == HeldDisclosure.consultation_id)
                        .outerjoin(Question, Question.id == HeldDisclosure.question_id)
                        .order_by(HeldDisclosure.flagged_at.desc(), HeldDisclosure.id.desc())).all()
    return [Held(*row) for row in rows]


class ReviewError(Refusal):
    """A review that cannot be recorded; the message is shown to the lead."""


class AlreadyReviewed(ReviewError):
    """Another lead has recorded what they did about the answer as it now reads (after the page
    the decision came from was loaded: the page offers no decision on such an answer). The decision
    on record stands; ``outcome``, ``reviewed_by`` (None: a former account) and ``reviewed_at`` say
    what it was, for the caller to tell the lead."""

    def __init__(self, outcome: str, reviewed_by: str | None, reviewed_at: datetime):
        super().__init__(N_("Another lead has already recorded what was done about this answer."))
        self.outcome, self.reviewed_by, self.reviewed_at = outcome, reviewed_by, reviewed_at


def reviewed_among(session: Session, answer_ids: list[int]) -> set[int]:
    """Which of these answers a lead has recorded a decision on."""
    return set(session.exec(select(SafeguardingReview.answer_id)
                            .where(SafeguardingReview.answer_id.in_(answer_ids))).all())


def record_review(session: Session, answer_id: int, outcome: str, user_id: int | None) -> SafeguardingReview:
    """Record what a lead did about a flagged answer. Refused (:class:`AlreadyReviewed`) when the
    answer as it now reads has a decision already, so a page loaded before another lead decided
    cannot replace theirs (a referral replaced by "no action"); an answer changed since its
    decision is decided afresh."""
    if outcome not in OUTCOMES:
        raise ReviewError(N_("Choose what you did about this answer."))
    # The answer's row lock (PostgreSQL; SQLite writes one at a time anyway) makes two leads'
    # decisions on one answer wait for each other, so the second sees the first.
    answer = session.exec(select(Answer).where(Answer.id == answer_id).with_for_update()
                          .execution_options(populate_existing=True)).one_or_none()
    if answer is None or not answer.safeguarding:
        raise ReviewError(N_("That answer is not flagged."))
    review = session.exec(select(SafeguardingReview).where(SafeguardingReview.answer_id == answer_id)
                          .execution_options(populate_existing=True)).one_or_none()
    if review is not None and review.reviewed_at >= answer.updated_at:
        who = session.get(User, review.user_id) if review.user_id is not None else None
        raise AlreadyReviewed(review.outcome, who.email if who else None, review.reviewed_at)
    review = review or SafeguardingReview(answer_id=answer_id)
    review.outcome, review.user_id, review.reviewed_at = outcome, user_id, utcnow()
    session.add(review)
    session.flush()
    return review


def settle_held(session: Session, held_id: int, outcome: str) -> int:
    """A lead has dealt with a held disclosure: delete it (its writer asked for that; the audit
    trail keeps the outcome, never the words). Returns its consultation's id."""
    if outcome not in OUTCOMES:
        raise ReviewError(N_("Choose what you did about this answer."))
    held = session.get(HeldDisclosure, held_id)
    if held is None:
        raise ReviewError(N_("That answer is not waiting any more."))
    session.delete(held)
    session.flush()
    return held.consultation_id


# SQL as written, as surveys.redaction's: it outlives the models a later release changes.
_READ = sa.text("SELECT id, text FROM answer WHERE text IS NOT NULL AND safeguarding = :no "
                "AND id > :after ORDER BY id LIMIT :batch")
_FLAG = sa.text("UPDATE answer SET safeguarding = :yes WHERE id IN :ids").bindparams(
    sa.bindparam("ids", expanding=True))
BATCH = 5000


def flag_stored_answers(conn: sa.Connection) -> int:
    """Check every stored answer not flagged with this release's patterns, in batches, and flag
    those they now catch, for a release whose check catches more (a migration calls this). A flag
    is never taken away here. The answers join the leads' list as waiting (no email: a migration
    sends none), and the kept theme tallies are forgotten, since a flagged answer is never quoted
    (``surveys.theme_tally``). Returns how many were flagged."""
    after, flagged = 0, 0
    while rows := conn.execute(_READ, {"no": False, "after": after, "batch": BATCH}).all():
        now = [id_ for id_, text in rows if mentions_safeguarding(text)]
        if now:
            conn.execute(_FLAG, {"yes": True, "ids": now})
            flagged += len(now)
        after = rows[-1][0]
    if flagged and sa.inspect(conn).has_table("theme_tally"):
        conn.execute(sa.text("DELETE FROM theme_tally"))
    return flagged
