"""Aggregates for the responses view, computed in SQL so they stay fast with many responses.

Each function runs a handful of GROUP BY queries (never one per respondent) and returns plain
dicts for the templates. Free text is only ever read from ``Answer.text_redacted``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, Text, and_, cast, func, null
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from .models import Answer, Consultation, Page, Question, Respondent
from .types import get_type, types_where
from .types.base import Tally

#: An answer's stored value as text: what ``ix_answer_value`` indexes (after the question and the
#: person's group), so grouping by it reads that index alone.
VALUE_TEXT = cast(Answer.value, Text)


@dataclass(frozen=True)
class Filters:
    """Which respondents a summary covers."""

    channel: str | None = None
    segment: str | None = None
    completed_only: bool = False

    @property
    def active(self) -> bool:
        return bool(self.channel or self.segment or self.completed_only)

    def apply(self, query, respondent=Respondent):
        if self.channel:
            query = query.where(respondent.channel == self.channel)
        if self.segment:
            query = query.where(respondent.segment == self.segment)
        if self.completed_only:
            query = query.where(respondent.submitted_at.is_not(None))
        return query


def totals(session: Session, consultation: Consultation, pages: list[Page], filters: Filters) -> dict:
    """Started and completed, by channel and by segment, and the completion funnel by page."""
    # Grouped by the leading columns of ix_respondent_progress, so SQL reads only that index,
    # in order, and needs no sort; completed people are counted by their submitted_at.
    query = filters.apply(select(Respondent.channel, Respondent.segment, Respondent.current_page,
                                 func.count(Respondent.submitted_at), func.count())
                          .where(Respondent.consultation_id == consultation.id)
                          .group_by(Respondent.channel, Respondent.segment, Respondent.current_page))
    position = {p.key: i for i, p in enumerate(pages)}
    out = {"started": 0, "completed": 0,
           "channels": defaultdict(lambda: {"started": 0, "completed": 0}),
           "segments": defaultdict(lambda: {"started": 0, "completed": 0})}
    reached_from = [0] * (len(pages) + 1)
    rows = session.exec(query).all()
    for channel, segment, current, done, n in rows:
        out["started"] += n
        out["completed"] += done
        for group, key in (("channels", channel), ("segments", segment or "")):
            out[group][key]["started"] += n
            out[group][key]["completed"] += done
        # The last page reached: all pages when submitted; the first when not yet past it.
        reached_from[max(len(pages) - 1, 0)] += done
        reached_from[max(position.get(current or "", 0), 0)] += n - done
    running, funnel = 0, []
    for i in range(len(pages) - 1, -1, -1):
        running += reached_from[i]
        funnel.append((pages[i], running))
    out["funnel"] = list(reversed(funnel))
    segment_key = session.exec(select(Question.key).where(Question.consultation_id == consultation.id,
                                                          Question.is_segment)).first()
    for i, page in enumerate(pages):
        if page.show_if and page.show_if["question"] == segment_key:
            out["funnel"][i] = (page, _reach_by_segment(rows, pages, i))
        elif page.show_if:
            out["funnel"][i] = (page, _routed_reach(session, consultation, pages, i, filters))
    out["channels"], out["segments"] = dict(out["channels"]), dict(out["segments"])
    return out


def _reach_by_segment(rows, pages: list[Page], index: int) -> int:
    """``_routed_reach`` for a page shown by the person's group: each person's group is their
    segment answer, so the totals' rows (channel, segment, current page, sent, people) say it
    without reading an answer."""
    rule = pages[index].show_if
    later = {p.key for p in pages[index:]}
    wanted = set(map(str, rule["in"]))
    return sum(done + ((n - done) if current in later else 0)
               for _, segment, current, done, n in rows if segment is not None and str(segment) in wanted)


def _routed_reach(session: Session, consultation: Consultation, pages: list[Page], index: int,
                  filters: Filters) -> int:
    """People who got as far as a routed page *and* were routed to it by their earlier answer.

    Counted from a few rows (one per answer value and current page), so it stays cheap with many
    responses; the show-if rule is checked in Python exactly as the journey checks it.
    """
    rule = pages[index].show_if
    later = {p.key for p in pages[index:]}
    wanted = set(map(str, rule["in"]))
    query = filters.apply(
        select(VALUE_TEXT, Respondent.current_page, func.count(Respondent.submitted_at), func.count())
        .select_from(Answer).join(Respondent, Respondent.id == Answer.respondent_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Respondent.consultation_id == consultation.id, Question.key == rule["question"],
               Question.consultation_id == consultation.id, VALUE_TEXT.is_not(None))
        .group_by(VALUE_TEXT, Respondent.current_page))
    reached = 0
    for value, current, done, n in session.exec(query).all():
        given = json.loads(value)
        given = given if isinstance(given, list) else [given]
        if set(map(str, given)) & wanted:
            # Sent responses reached every page; the others got as far as their current page.
            reached += done + ((n - done) if current in later else 0)
    return reached


def _base(question_ids, filters: Filters):
    """Answers to the questions, filtered. Each answer carries its person's group, so neither the
    breakdown by group nor the group filter looks up a person; the channel and completion filters
    still do (the join is a lookup per answer)."""
    query = select().select_from(Answer).where(Answer.question_id.in_(question_ids))
    if filters.segment:
        query = query.where(Answer.segment == filters.segment)
    if filters.channel or filters.completed_only:
        by_person = Filters(channel=filters.channel, completed_only=filters.completed_only)
        query = by_person.apply(query.join(Respondent, Respondent.id == Answer.respondent_id))
    return query


def _value_counts(session: Session, question_ids, segments: list[str], filters: Filters):
    """(question id, segment, stored value as text, people) for every value given to the questions.

    Grouped by exactly what ``ix_answer_value`` indexes, in its order (question, the person's group
    as each answer carries it, stored value as text), so SQL counts each value from that index
    alone: no read of the answers, no look-up of a person, no sort. With no ``segments``, only
    everyone is counted: the segment is None in each row (and a value may come in several rows,
    one per group, to be added up).
    """
    query = _base(question_ids, filters).where(VALUE_TEXT.is_not(None)).add_columns(
        Answer.question_id, Answer.segment, VALUE_TEXT, func.count())
    rows = session.exec(query.group_by(Answer.question_id, Answer.segment, VALUE_TEXT)).all()
    return rows if segments else [(qid, None, raw, n) for qid, _, raw, n in rows]


def question_summaries(session: Session, questions: list[Question], segments: list[str],
                       filters: Filters) -> dict[int, dict]:
    """For each summarised question: its rows, for everyone ("") and per segment.

    The one summary engine, used for facilitators, respondents and reports. ``segments`` are the
    groups to show; with none, only everyone is counted. One query groups the answers to every
    question by question, group and stored value (see ``_value_counts``), so a row comes back
    per distinct answer and group, never per person; each type counts its values (``tally``) and
    makes its rows (``shape``). A type that shares amounts between keys (``summed_keys``) has them
    summed in SQL instead, by group, from the same index.
    """
    types = {q.id: get_type(q.type) for q in questions}
    summarised = [q for q in questions if types[q.id].summarised]
    tallies = {q.id: {s: Tally() for s in ["", *segments]} for q in summarised}
    by_id = {q.id: q for q in summarised}
    by_segment = bool(segments)
    segment = Answer.segment if by_segment else null()
    per_segment = [Answer.segment] if by_segment else []
    summed = {q.id: types[q.id].summed_keys(q) for q in summarised}
    grouped = [q.id for q in summarised if summed[q.id] is None]
    if grouped:
        for qid, seg, raw, n in _value_counts(session, grouped, segments, filters):
            value = json.loads(raw)
            for group in _groups(tallies[qid], seg):
                types[qid].tally(by_id[qid], group, value, n)
    for q in summarised:
        keys = summed[q.id]
        if keys is None:
            continue
        sums = [func.sum(Answer.value[k].as_integer()) for k in keys]
        # Grouped as ix_answer_value is ordered (question, then group), so it is read in order.
        query = _base([q.id], filters).add_columns(segment, func.count(), *sums) \
            .where(Answer.value.is_not(None)).group_by(Answer.question_id, *per_segment)
        for seg, n, *totals in session.exec(query).all():
            for group in _groups(tallies[q.id], seg):
                group.answered += n
                for k, total in zip(keys, totals, strict=True):
                    group.counts[k] += int(total or 0)
    out = {}
    for q in summarised:
        groups = [{"segment": seg, **types[q.id].shape(q, tally)} for seg, tally in tallies[q.id].items()]
        groups.sort(key=lambda g: (g["segment"] != "", g["segment"]))
        out[q.id] = {"question": q, "groups": groups}
    return out


def _groups(tallies: dict[str, Tally], segment) -> list[Tally]:
    """The tallies an answer counts in: everyone's, and its segment's (made when first seen)."""
    keys = {"", segment or ""}
    return [tallies.setdefault(k, Tally()) for k in keys]


def opinion_change(session: Session, question: Question, filters: Filters) -> dict | None:
    """How the same people moved between a question on a scale and its repeat: the one computation
    of opinion change, for the responses view, the theme matrix and any other page.

    ``question`` is the repeat (asked second); None if it repeats nothing or has no scale. People
    who said "don't know" either time are left out. ``left`` counts the people who moved towards
    the first pole, ``right`` towards the second; ``both`` is how many answered both times.
    """
    t = get_type(question.type)
    if question.repeat_of_id is None or t.poles(question) is None:
        return None
    before, after = aliased(Answer), aliased(Answer)
    # As VARCHAR, not TEXT (the same text), so the planner does not walk the first answers through
    # ix_answer_value in order of value: in order of id, each person's second answer is close by.
    b, a = cast(before.value, String).label("before"), cast(after.value, String).label("after")
    query = (select(b, a, func.count()).select_from(before)
             .join(after, and_(after.respondent_id == before.respondent_id, after.question_id == question.id))
             .where(before.question_id == question.repeat_of_id, before.value.is_not(None),
                    after.value.is_not(None))
             .group_by(b, a))
    if filters.segment:  # each answer carries its person's group
        query = query.where(before.segment == filters.segment)
    if filters.channel or filters.completed_only:
        by_person = Filters(channel=filters.channel, completed_only=filters.completed_only)
        query = by_person.apply(query.join(Respondent, Respondent.id == before.respondent_id))
    out = {"both": 0, "left": 0, "same": 0, "right": 0, "before_sum": 0, "after_sum": 0,
           "poles": t.poles(question)}
    for raw_b, raw_a, n in session.exec(query).all():
        vb, va = t.position(json.loads(raw_b)), t.position(json.loads(raw_a))
        if vb is None or va is None:
            continue
        out["both"] += n
        out["before_sum"] += vb * n
        out["after_sum"] += va * n
        out["left" if va < vb else "right" if va > vb else "same"] += n
    both = out["both"]
    out["before_mean"] = out["before_sum"] / both if both else None
    out["after_mean"] = out["after_sum"] / both if both else None
    return out


def opinion_changes(session: Session, consultation: Consultation, minimum: int) -> list[dict]:
    """For each repeated trade-off, how the people who finished moved (``opinion_change``), or only
    how many answered both times when they are fewer than ``minimum``."""
    out = []
    repeats = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                  Question.repeat_of_id.is_not(None),
                                                  Question.type.in_(types_where(lambda t: t.between_poles)))
                           ).all()
    for after_q in repeats:
        change = opinion_change(session, after_q, Filters(completed_only=True))
        if change["both"] < minimum:
            out.append({"question": after_q, "n": change["both"], "suppressed": True})
            continue
        out.append({
            "question": after_q, "n": change["both"], "suppressed": False,
            "mean_before": change["before_mean"], "mean_after": change["after_mean"],
            "to_left": change["left"], "to_right": change["right"], "same": change["same"],
        })
    return out


def respondent_answers(session: Session, respondent: Respondent, questions: list[Question]) -> list:
    """A respondent's answers in question order, shown as on check-answers (redacted text only)."""
    rows = session.exec(select(Answer.question_id, Answer.value, Answer.text_redacted)
                        .where(Answer.respondent_id == respondent.id)).all()
    given = {qid: (value, text) for qid, value, text in rows}
    out = []
    for q in questions:
        if q.id in given:
            value, text = given[q.id]
            out.append((q, get_type(q.type).display(q, value, text)))
    return out
