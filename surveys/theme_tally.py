"""What the theme pages count, kept: so a view of the board reads a few rows, not every answer.

The board, the theme × group table, a theme's page and the reports show, for each theme of a run,
its answers, its people by group, how its answers feel, where its people stand on each trade-off
and each group's first quotable answer; and for the run, its people by group and where everyone
stands. At 250,000 respondents counting these reads millions of rows: seconds, on every view.

So each top-level theme's counts are kept in a row of their own (``ThemeTally``), and the run's in
one more (theme :data:`RUN`). Whatever changes which answers a theme holds forgets that theme's
row (:func:`forget`): an edit then recounts only the themes it touched. What changes who is in
the run at all (answers placed by an update, a person withdrawing) forgets the run's too
(:func:`forget_run`). A view counts only what is missing and keeps it (:func:`tallies`); a
finished analysis counts everything before anyone looks.

Counts are kept as JSON, so every key is a string: group keys, question ids and feelings alike.
A release that changes what is kept (or how stored answers read) empties the table in its
migration, as redaction does (``surveys.redaction``).
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass

from sqlalchemy import case, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, func, select

from .models import AnalysisRun, Answer, Question, Respondent, Theme, ThemeAssignment, ThemeTally
from .summaries import VALUE_TEXT
from .types import types_where

#: The theme id of the row that holds the run's own counts (no theme has id 0).
RUN = 0
#: The group key of people who did not answer the segment question.
NOT_SAID = "not said"
#: The feeling key of answers not scored (JSON keys are strings).
UNSCORED = ""
LEFT, MIDDLE, RIGHT = "left", "middle", "right"
#: Each answer to a trade-off (-3 to 3), as the database gives it as text, and its side.
SIDES = {str(v): LEFT if v < 0 else RIGHT if v > 0 else MIDDLE for v in range(-3, 4)}


@dataclass
class Tallies:
    #: Top-level theme id -> its counts: ``answers``; ``loose`` (of them, those in no sub-theme);
    #: ``people`` (group key -> people);
    #: ``feelings`` (feeling, :data:`UNSCORED` for none -> answers); ``reasons`` (ids of the
    #: trade-offs whose reasons are among its answers); ``sides`` (each trade-off's id -> side ->
    #: people);
    #: ``firsts`` (group key -> the answer a quote for that group is taken from, or None).
    themes: dict[int, dict]
    #: ``people`` (group key -> people with an answer in any theme) and ``everyone`` (trade-off
    #: id -> side -> people who took part).
    run: dict


def placed(run_id: int, *columns):
    """``columns`` of the answers placed in a run's themes, from sent responses only."""
    return (select(*columns).select_from(ThemeAssignment)
            .join(Answer, Answer.id == ThemeAssignment.answer_id)
            .join(Respondent, Respondent.id == Answer.respondent_id)
            .where(ThemeAssignment.run_id == run_id, Respondent.submitted_at.is_not(None)))


def tradeoffs(session: Session, consultation_id: int) -> dict[int, Question]:
    """The consultation's trade-off questions, by id."""
    return {q.id: q for q in session.exec(select(Question).where(
        Question.consultation_id == consultation_id,
        Question.type.in_(types_where(lambda t: t.between_poles))))}


def tallies(session: Session, run: AnalysisRun) -> Tallies:
    """The run's counts and each top-level theme's, counting (and keeping) those not kept."""
    top = list(session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).all())
    kept = dict(session.exec(select(ThemeTally.theme_id, ThemeTally.counts)
                             .where(ThemeTally.run_id == run.id)).all())
    fresh = {}
    if missing := [t for t in top if t not in kept]:
        fresh.update(count_themes(session, run, missing))
    if RUN not in kept:
        fresh[RUN] = count_run(session, run)
    if fresh:
        _keep(session, run.id, fresh)
        kept.update(fresh)
    return Tallies({t: kept[t] for t in top}, kept[RUN])


def count_all(session: Session, run: AnalysisRun) -> None:
    """Count a run afresh and keep it (a finished analysis, before anyone looks)."""
    forget_run(session, run.id)
    tallies(session, run)


def forget(session: Session, run_id: int, theme_ids: Iterable[int]) -> None:
    """The answers in these themes changed: count them again when next shown."""
    ids = {int(t) for t in theme_ids if t is not None}
    if ids:
        session.exec(delete(ThemeTally).where(ThemeTally.run_id == run_id, ThemeTally.theme_id.in_(ids)))


def forget_run(session: Session, run_id: int) -> None:
    """Who is in the run changed (or everything did): count it all again when next shown."""
    session.exec(delete(ThemeTally).where(ThemeTally.run_id == run_id))


def _keep(session: Session, run_id: int, counts: dict[int, dict]) -> None:
    # Two views may count the same theme at once; both counted the same answers, so the
    # second simply keeps the first's row.
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.exec(insert(ThemeTally).values([{"run_id": run_id, "theme_id": t, "counts": c}
                                            for t, c in counts.items()]).on_conflict_do_nothing())


def _first():
    """A group's quote: its first answer with no redaction placeholder, else its first answer, as
    the board's own quotes are chosen. Never an answer flagged for the safeguarding lead."""
    quotable = case((Answer.safeguarding, None), else_=Answer.id)
    clean = case((Answer.safeguarding | Answer.text_redacted.contains("["), None), else_=Answer.id)
    return func.coalesce(func.min(clean), func.min(quotable))


def _quotable(safeguarding: bool, text: str | None) -> tuple[bool, bool]:
    """Whether an answer may be a group's quote, and whether it is clean (as :func:`_first`)."""
    return not safeguarding, not safeguarding and "[" not in (text or "")


def count_themes(session: Session, run: AnalysisRun, theme_ids: list[int]) -> dict[int, dict]:
    """Each of these top-level themes' counts, from the answers placed in them now."""
    out = {t: {"answers": 0, "loose": 0, "people": {}, "feelings": {}, "reasons": [], "sides": {},
               "firsts": {}} for t in theme_ids}
    mine = ThemeAssignment.theme_id.in_(theme_ids)
    loose = func.sum(case((ThemeAssignment.subtheme_id.is_(None), 1), else_=0))
    by_group = (ThemeAssignment.theme_id, Respondent.segment)
    first = _first()
    for theme_id, segment, answers, people, first_id, unsorted in session.exec(
            placed(run.id, *by_group, func.count(), func.count(Answer.respondent_id.distinct()), first, loose)
            .where(mine).group_by(*by_group)):
        counts, key = out[theme_id], segment or NOT_SAID
        counts["answers"] += answers
        counts["loose"] += unsorted
        counts["people"][key] = counts["people"].get(key, 0) + people
        counts["firsts"][key] = first_id
    for theme_id, feeling, n in session.exec(
            select(ThemeAssignment.theme_id, ThemeAssignment.sentiment, func.count()).where(mine)
            .group_by(ThemeAssignment.theme_id, ThemeAssignment.sentiment)):
        out[theme_id]["feelings"][feeling or UNSCORED] = n
    asked = tradeoffs(session, run.consultation_id)
    if not asked:
        return out
    for theme_id, question_id in session.exec(
            placed(run.id, ThemeAssignment.theme_id, Answer.question_id)
            .where(mine, Answer.question_id.in_(asked)).distinct()):
        out[theme_id]["reasons"].append(question_id)
    for theme_id in theme_ids:
        # Each of the theme's people answers a trade-off once: counting the answers of the theme's
        # people (a set, whatever their number of answers in it) counts people, in the database.
        theirs = placed(run.id, Answer.respondent_id).where(ThemeAssignment.theme_id == theme_id)
        sides = out[theme_id]["sides"] = {str(q): {LEFT: 0, RIGHT: 0, MIDDLE: 0} for q in asked}
        for question_id, value, n in session.exec(
                select(Answer.question_id, VALUE_TEXT, func.count())
                .where(Answer.question_id.in_(asked), Answer.respondent_id.in_(theirs), VALUE_TEXT.in_(SIDES))
                .group_by(Answer.question_id, VALUE_TEXT)):
            sides[str(question_id)][SIDES[value]] += n
        out[theme_id]["reasons"].sort()
    return out


def moved(session: Session, run: AnalysisRun, answer_id: int, source: int, target: int,
          was_loose: bool | None = None) -> bool:
    """Bring the kept counts of ``source`` and ``target`` up to date after one answer moved between
    them (already flushed), without counting either again: the facilitator's most common edit, on
    themes of any size. ``was_loose`` says whether it was in none of the source's sub-themes (by
    default, as it is now in the target). False, changing nothing, when either has no kept counts
    (the caller forgets them). Every count is what :func:`count_themes` would give."""
    rows = {t.theme_id: t for t in session.exec(select(ThemeTally).where(
        ThemeTally.run_id == run.id, ThemeTally.theme_id.in_([source, target])))}
    if source == target or len(rows) < 2:
        return source == target
    found = session.exec(placed(run.id, Answer.respondent_id, Answer.question_id, Answer.safeguarding,
                                Answer.text_redacted, Respondent.segment, ThemeAssignment.sentiment,
                                ThemeAssignment.subtheme_id)
                         .where(ThemeAssignment.answer_id == answer_id)).first()
    if found is None:  # not from a sent response: never counted
        return True
    person, question, flagged, text, segment, feeling, subtheme = found
    key, asked = segment or NOT_SAID, tradeoffs(session, run.consultation_id)
    theirs = {str(q): SIDES[v] for q, v in session.exec(
        select(Answer.question_id, VALUE_TEXT).where(Answer.respondent_id == person,
                                                     Answer.question_id.in_(asked))) if v in SIDES}

    def still(theme_id: int, *where) -> bool:
        return session.exec(placed(run.id, Answer.id).where(ThemeAssignment.theme_id == theme_id, *where)
                            .limit(1)).first() is not None

    for theme_id, sign in ((source, -1), (target, 1)):
        counts = deepcopy(rows[theme_id].counts)
        counts["answers"] += sign
        counts["loose"] += sign * (subtheme is None if sign > 0 or was_loose is None else was_loose)
        _add(counts["feelings"], feeling or UNSCORED, sign)
        # The person joins the target, or leaves the source, unless another answer of theirs is there.
        if not still(theme_id, Answer.respondent_id == person, Answer.id != answer_id):
            _add(counts["people"], key, sign)
            for q, side_ in theirs.items():
                counts["sides"][q][side_] += sign
        if question in asked:
            reasons = set(counts["reasons"])
            if sign > 0:
                reasons.add(question)
            elif not still(theme_id, Answer.question_id == question):
                reasons.discard(question)
            counts["reasons"] = sorted(reasons)
        firsts = counts["firsts"]
        if key not in counts["people"]:
            firsts.pop(key, None)
        elif sign < 0 and firsts.get(key) == answer_id:
            firsts[key] = session.exec(placed(run.id, _first()).where(
                ThemeAssignment.theme_id == theme_id,
                Respondent.segment.is_(None) if segment is None else Respondent.segment == segment)).one()
        elif sign > 0:
            firsts[key] = _first_with(session, firsts.get(key, 0), answer_id, *_quotable(flagged, text))
        rows[theme_id].counts = counts
        session.add(rows[theme_id])
    return True


def _add(counts: dict, key: str, n: int) -> None:
    """Add ``n`` to a count kept only while it is above 0 (as counting from the answers gives)."""
    counts[key] = counts.get(key, 0) + n
    if counts[key] <= 0:
        del counts[key]


def _first_with(session: Session, first: int | None, answer_id: int, quotable: bool,
                clean: bool) -> int | None:
    """A group's quote (:func:`_first`) once ``answer_id`` joins it; ``first`` is 0 for a new group."""
    if first == 0:
        return answer_id if quotable else None
    if not quotable:
        return first
    was = session.exec(select(Answer.safeguarding, Answer.text_redacted).where(Answer.id == first)).first() \
        if first is not None else None
    was_clean = was is not None and _quotable(*was)[1]
    if clean:
        return min(first, answer_id) if was_clean else answer_id
    return first if was_clean else min(first or answer_id, answer_id)


def count_run(session: Session, run: AnalysisRun) -> dict:
    """The run's people by group, and where everyone who took part stands on each trade-off."""
    person = func.count(Answer.respondent_id.distinct())
    people = {segment or NOT_SAID: n for segment, n in session.exec(
        placed(run.id, Respondent.segment, person).group_by(Respondent.segment))}
    everyone: dict[str, dict[str, int]] = {}
    asked = tradeoffs(session, run.consultation_id)
    for question_id, value, n in session.exec(
            select(Answer.question_id, VALUE_TEXT, func.count())
            .join(Respondent, Respondent.id == Answer.respondent_id)
            .where(Answer.question_id.in_(asked), Respondent.submitted_at.is_not(None))
            .group_by(Answer.question_id, VALUE_TEXT)) if asked else ():
        if value in SIDES:
            sides = everyone.setdefault(str(question_id), {LEFT: 0, RIGHT: 0, MIDDLE: 0})
            sides[SIDES[value]] += n
    return {"people": people, "everyone": everyone}
