"""Written answers for the workspace: one page at a time, newest first, by keyset (never OFFSET).

A page is found from a cursor, the id of the answer it starts after (``before``: older answers;
``after``: newer ones), so the cost of a page does not grow with how far back it is. Only the
redacted text is ever read.

Each question's written answers are read through ``ix_answer_written`` (question, id), one short
query per question that stops as soon as it has a page, and merged here: one query over several
questions would make SQLite collect and sort every written answer before it could stop. A search
or a filter may match few answers, so it reads at most ``SCAN_WINDOW`` answer ids beyond the
cursor, in one query; when that is not enough for a page, the page says how far it looked and offers to
look further. Counting is exact from the index without a search or filter, and otherwise
estimated from the newest written answers (see ``_count``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from .models import Answer, Consultation, Question, Respondent
from .summaries import Filters
from .types import types_where

PAGE_SIZE = 25
#: How many answer ids (of every kind, in every consultation) a searched or filtered page reads
#: at most beyond its cursor before it stops and offers to look further.
SCAN_WINDOW = 200_000
#: A searched or filtered count is estimated from the written answers among this many newest
#: answer ids (of every kind, in every consultation).
SAMPLE_IDS = 100_000


@dataclass(frozen=True)
class WrittenPage:
    """One page of written answers, newest first.

    ``total`` counts every match, or estimates it. ``newer`` and ``older`` are the
    cursors of the neighbouring pages (None: there is none). ``stopped_early``: a search or
    filter stopped looking before it filled the page, and the page beyond looks on from there.
    """

    rows: list
    total: int
    #: How many of the newest written answers ``total`` was estimated from (None: exact).
    sampled: int | None
    newer: int | None
    older: int | None
    stopped_early: bool = False


#: Apostrophes and quotation marks as phones and word processors type them, and as a keyboard does.
_CURLY = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}


def text_contains(search: str):
    """A condition: the redacted text holds ``search``, whatever the case, curly or straight
    apostrophes on either side ("don’t" pasted from a phone finds "don't") and spaces typed twice
    in ``search``. The one rule for every search of written answers (here and in a theme).

    Only a search with an apostrophe or quotation mark in it compares the text with its curly
    marks made straight: any other search matches the same answers in the text as written, which
    PostgreSQL finds from ``ix_answer_text_trigrams`` and either database reads faster."""
    for curly, straight in _CURLY.items():
        search = search.replace(curly, straight)
    text = Answer.text_redacted
    if set(search) & set(_CURLY.values()):
        for curly, straight in _CURLY.items():
            text = func.replace(text, curly, straight)
    return text.icontains(" ".join(search.split()), autoescape=True)


def _written(question_ids: list[int], search: str, filters: Filters):
    query = select(Answer.id).where(
        Answer.question_id.in_(question_ids) if len(question_ids) > 1 else
        Answer.question_id == question_ids[0], Answer.text_redacted.is_not(None))
    if search:
        query = query.where(text_contains(search))
    if filters.active:
        query = filters.apply(query.join(Respondent, Respondent.id == Answer.respondent_id))
    return query


def text_question_ids(session: Session, consultation: Consultation) -> list[int]:
    """The consultation's questions that may have written answers."""
    return list(session.exec(select(Question.id).where(
        Question.consultation_id == consultation.id,
        Question.type.in_(types_where(lambda t: t.may_have_text)))).all())


def _ids(session: Session, question_ids, search: str, filters: Filters, start: int | None,
         newer: bool, window: tuple[int, int] | None, limit: int) -> list[int]:
    """Up to ``limit`` matching answer ids beyond ``start``, nearest first, within ``window``
    (lowest id, highest id) if given.

    Without a window, one query per question, each read in id order from ix_answer_written and
    stopping at ``limit``; with one, a single query over the window (which bounds its work
    whichever way the planner reads it: PostgreSQL walks the ids back and stops early)."""
    def query(ids):
        q = _written(ids, search, filters)
        if start is not None:
            q = q.where(Answer.id > start if newer else Answer.id < start)
        if window is not None:
            q = q.where(Answer.id >= window[0], Answer.id <= window[1])
        return q.order_by(Answer.id if newer else Answer.id.desc()).limit(limit)

    groups = [question_ids] if window is not None else [[qid] for qid in question_ids]
    found = [i for ids in groups for i in session.exec(query(ids)).all()]
    return sorted(found, reverse=not newer)[:limit]


def _newest(session: Session, question_ids) -> int:
    """The id of the newest written answer to the questions (0 if none)."""
    return next(iter(_ids(session, question_ids, "", Filters(), None, False, None, 1)), 0)


def _count(session: Session, question_ids, search: str, filters: Filters) -> tuple[int, int | None]:
    """How many written answers match, and how many newest written answers that was estimated
    from (None: counted exactly). Without a search or filter the count is exact, from the index;
    with one, the matches among the written answers in the ``SAMPLE_IDS`` answer ids up to the
    newest written answer are counted and scaled up (exactly counted, when those are all of them)."""
    def count(query) -> int:
        return session.exec(select(func.count()).select_from(query.subquery())).one()

    written = count(_written(question_ids, "", Filters()))
    if not (search or filters.active) or not written:
        return written, None
    low = _newest(session, question_ids) - SAMPLE_IDS
    sampled = count(_written(question_ids, "", Filters()).where(Answer.id > low))
    # The sample's answers first, then each one's respondent: the LIMIT (never reached) keeps SQLite
    # from starting with every respondent in the group and looking up their answers instead.
    sample = _written(question_ids, search, Filters()).add_columns(Answer.respondent_id) \
        .where(Answer.id > low).limit(SAMPLE_IDS).subquery()
    matched = session.exec(filters.apply(
        select(func.count()).select_from(sample).join(Respondent, Respondent.id == sample.c.respondent_id))
        if filters.active else select(func.count()).select_from(sample)).one()
    if sampled >= written:
        return matched, None
    return _about(matched * written / sampled), sampled


def _about(n: float) -> int:
    """An estimate rounded to what it can honestly claim: two significant figures."""
    n = round(n)
    return round(n, 2 - len(str(n))) if n >= 100 else n


def page(session: Session, consultation: Consultation, filters: Filters, question_id: int | None,
         search: str, before: int | None = None, after: int | None = None) -> WrittenPage:
    """The page of written answers just older than ``before`` (or just newer than ``after``;
    neither: the newest), matching the question, search and filters given."""
    question_ids = [question_id] if question_id else text_question_ids(session, consultation)
    total, sampled = _count(session, question_ids, search, filters)
    newer = after is not None and before is None
    start = after if newer else before
    window = None
    if search or filters.active:
        top = start if start is not None else _newest(session, question_ids) + 1
        window = (top + 1, top + SCAN_WINDOW) if newer else (max(0, top - SCAN_WINDOW), top - 1)
    ids = _ids(session, question_ids, search, filters, start, newer, window, PAGE_SIZE + 1)
    more = len(ids) > PAGE_SIZE
    ids = ids[:PAGE_SIZE]
    stopped = False
    if window is not None and not more and (newer or window[0] > 1):
        # Less than a page in the window: is there any written answer beyond it, not looked at?
        edge = window[1] if newer else window[0]
        stopped = more = bool(_ids(session, question_ids, "", Filters(), edge, newer, None, 1))
    if newer and not more:
        return page(session, consultation, filters, question_id, search)  # back at the newest
    # Each cursor is exclusive: the next page starts just beyond it.
    if newer:
        further = (window[1] if stopped else ids[-1])
        back = ids[0] if ids else start + 1
        cursors = {"newer": further, "older": back}
        ids.reverse()
    else:
        further = (window[0] if stopped else ids[-1]) if more else None
        back = (ids[0] if ids else start - 1) if start is not None else None
        cursors = {"newer": back, "older": further}
    rows = session.exec(select(Answer.id, Answer.question_id, Answer.text_redacted, Answer.safeguarding,
                               Respondent.id.label("respondent_id"), Respondent.segment)
                        .join(Respondent, Respondent.id == Answer.respondent_id)
                        .where(Answer.id.in_(ids)).order_by(Answer.id.desc())).all() if ids else []
    return WrittenPage(rows=rows, total=total, sampled=sampled, stopped_early=stopped, **cursors)
