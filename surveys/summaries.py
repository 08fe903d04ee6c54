"""Aggregates for the responses view, computed in SQL so they stay fast with many responses.

Each function runs a handful of GROUP BY queries (never one per respondent) and returns plain
dicts for the templates. Free text is only ever read from ``Answer.text_redacted``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, Text, and_, case, cast, func, null
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from .models import Answer, Consultation, Page, Question, Respondent
from .types import get_type
from .types.base import OTHER_KEY, OTHER_LABEL, option_keys
from .types.tradeoff import POINTS

#: Types summarised from their answers grouped by stored value (a few distinct values each).
GROUPED_TYPES = ("tradeoff", "likert", "choice", "multi", "rank")
#: An answer's stored value as text: what ``ix_answer_value`` indexes (with the question before it
#: and the respondent after), so grouping by it reads that index alone.
VALUE_TEXT = cast(Answer.value, Text)
TEXT_PAGE_SIZE = 25
#: How many matches past the current page a search or filtered list counts before it says "more than".
COUNT_LIMIT = 1000


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
    for channel, segment, current, done, n in session.exec(query).all():
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
    for i, page in enumerate(pages):
        if page.show_if:
            out["funnel"][i] = (page, _routed_reach(session, consultation, pages, i, filters))
    out["channels"], out["segments"] = dict(out["channels"]), dict(out["segments"])
    return out


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


def _base(question_ids, filters: Filters, by_segment: bool = True):
    """Answers to the questions, joined to their respondent only when a filter or the
    breakdown by segment needs it (the join is a lookup per answer)."""
    query = select().select_from(Answer).where(Answer.question_id.in_(question_ids))
    if by_segment or filters.active:
        query = filters.apply(query.join(Respondent, Respondent.id == Answer.respondent_id))
    return query


def _value_counts(session: Session, question_ids, segments: list[str], filters: Filters):
    """(question id, segment, stored value as text, people) for every value given to the questions.

    Grouped by exactly the expression ``ix_answer_value`` indexes, in its order, so SQL counts
    each value from that index (no read of the answers, no sort); the segments are counted
    side by side in each row, from one lookup of each respondent. A segment outside
    ``segments`` (an option since removed, say) falls back to grouping by segment as well.
    """
    known = list(dict.fromkeys(segments))
    query = _base(question_ids, filters, bool(known)).where(VALUE_TEXT.is_not(None))
    if not known:
        query = query.add_columns(Answer.question_id, null(), VALUE_TEXT, func.count()) \
            .group_by(Answer.question_id, VALUE_TEXT)
        return session.exec(query).all()
    per_segment = [func.count(case((Respondent.segment == s, 1))) for s in known]
    unset = func.count(case((Respondent.segment.is_(None), 1)))
    rows = session.exec(query.add_columns(Answer.question_id, VALUE_TEXT, func.count(), unset, *per_segment)
                        .group_by(Answer.question_id, VALUE_TEXT)).all()
    out = []
    for qid, raw, n, n_unset, *counts in rows:
        if n != n_unset + sum(counts):
            return session.exec(query.add_columns(Answer.question_id, Respondent.segment, VALUE_TEXT,
                                                  func.count())
                                .group_by(Answer.question_id, Respondent.segment, VALUE_TEXT)).all()
        out += [(qid, seg, raw, c) for seg, c in zip([None, *known], [n_unset, *counts], strict=True) if c]
    return out


def _empty(q: Question, segments: list[str]) -> dict:
    return {"question": q, "segments": {s: defaultdict(int) for s in ["", *segments]}, "answered": {}}


def question_summaries(session: Session, questions: list[Question], segments: list[str],
                       filters: Filters) -> dict[int, dict]:
    """For each closed question: counts per answer, for everyone ("") and per segment.

    ``segments`` are the groups to show; with none, only everyone is counted. One query groups
    the answers to every tradeoff, likert, choice, multi and rank question by question and stored
    value, counting each segment alongside (see ``_value_counts``), so a row comes back per
    distinct answer, never per person; lists of keys are unpacked from those rows. Allocate
    questions sum each option's amount in SQL.
    """
    out = {q.id: _empty(q, segments) for q in questions if q.type != "text"}
    by_id = {q.id: q for q in questions}
    by_segment = bool(segments)
    segment = Respondent.segment if by_segment else null()
    per_segment = [Respondent.segment] if by_segment else []
    grouped = [q.id for q in questions if q.type in GROUPED_TYPES]
    if grouped:
        for qid, seg, raw, n in _value_counts(session, grouped, segments, filters):
            _add_value(out[qid], by_id[qid], seg, json.loads(raw), n)
    for q in questions:
        if q.type != "allocate":
            continue
        keys = option_keys(q)
        sums = [func.sum(Answer.value[k].as_integer()) for k in keys]
        # Grouped by question first, so the planner reads the answers by question and looks up
        # each respondent, rather than walking every respondent by segment (much slower).
        query = _base([q.id], filters, by_segment).add_columns(segment, func.count(), *sums) \
            .where(Answer.value.is_not(None)).group_by(Answer.question_id, *per_segment)
        for seg, n, *totals in session.exec(query).all():
            _add_answered(out[q.id], seg, n)
            for k, total in zip(keys, totals, strict=True):
                _add(out[q.id], seg, k, int(total or 0), count_answered=False)
    return {qid: _shape(s) for qid, s in out.items()}


def _add_value(summary, q: Question, segment, value, n) -> None:
    """Count ``n`` people who gave ``value`` (as stored) to ``q``."""
    if q.type == "multi":
        keys = option_keys(q) + ([OTHER_KEY] if q.config.get("other") else [])
        _add_answered(summary, segment, n)
        for k in keys:
            if isinstance(value, list) and k in value:
                _add(summary, segment, k, n, count_answered=False)
    elif q.type == "rank":
        keys = option_keys(q)
        _add_answered(summary, segment, n)
        for i, k in enumerate(value if isinstance(value, list) else []):
            if i < len(keys) and k in keys:
                _add(summary, segment, f"{k}@{i + 1}", n, count_answered=False)
    elif value is not None:
        _add(summary, segment, str(value), n)


def _add_answered(summary, segment, n):
    for key in {"", segment or ""}:
        summary["segments"].setdefault(key, defaultdict(int))
        summary["answered"][key] = summary["answered"].get(key, 0) + n


def _add(summary, segment, key, n, count_answered=True):
    for seg in {"", segment or ""}:
        if seg not in summary["segments"]:
            summary["segments"][seg] = defaultdict(int)
        summary["segments"][seg][key] += n
        if count_answered:
            summary["answered"][seg] = summary["answered"].get(seg, 0) + n


def _shape(summary) -> dict:
    """Counts in a chartable form: rows of (label, count, share) per segment."""
    q = summary["question"]
    t = get_type(q.type)
    result = {"question": q, "groups": []}
    for seg, counts in summary["segments"].items():
        answered = summary["answered"].get(seg, 0)
        if q.type == "tradeoff":
            labels = t.labels(q)
            rows = [(labels[p], counts.get(str(p), 0), p) for p in POINTS]
            given = sum(c for _, c, _ in rows)
            mean = sum(p * c for _, c, p in rows) / given if given else None
            result["groups"].append({"segment": seg, "answered": given, "mean": mean,
                                     "rows": [(label, c, _share(c, given), p) for label, c, p in rows]})
        elif q.type == "likert":
            rows = [(label, counts.get(str(k), 0)) for k, label in t.choices(q)]
            result["groups"].append(_group(seg, answered, rows))
        elif q.type in ("choice", "multi"):
            items = [(str(o["key"]), o["label"]) for o in q.config.get("options", [])]
            if q.config.get("other"):
                items.append((OTHER_KEY, OTHER_LABEL))
            result["groups"].append(_group(seg, answered, [(label, counts.get(k, 0)) for k, label in items]))
        elif q.type == "rank":
            n = len(option_keys(q))
            rows = []
            for o in q.config["options"]:
                at = [counts.get(f"{o['key']}@{i}", 0) for i in range(1, n + 1)]
                mean = sum(i * c for i, c in enumerate(at, 1)) / answered if answered else None
                rows.append((o["label"], at[0], mean))
            rows.sort(key=lambda r: (r[2] is None, r[2]))
            result["groups"].append({"segment": seg, "answered": answered, "rank_rows": rows,
                                     "rows": [(label, first, _share(first, answered))
                                              for label, first, _ in rows]})
        elif q.type == "allocate":
            rows = [(o["label"], counts.get(str(o["key"]), 0) / answered if answered else 0)
                    for o in q.config["options"]]
            total = q.config["total"]
            result["groups"].append({"segment": seg, "answered": answered, "unit": t.unit(q),
                                     "rows": [(label, round(mean, 1), _share(mean, total))
                                              for label, mean in rows]})
    result["groups"].sort(key=lambda g: (g["segment"] != "", g["segment"]))
    return result


def _group(seg, answered, rows) -> dict:
    return {"segment": seg, "answered": answered,
            "rows": [(label, c, _share(c, answered)) for label, c in rows]}


def _share(part, whole) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def repeat_changes(session: Session, question: Question, filters: Filters) -> dict | None:
    """Before/after for a repeated tradeoff or likert question: the same people, both times."""
    if question.repeat_of_id is None or question.type not in ("tradeoff", "likert"):
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
    if filters.active:
        query = filters.apply(query.join(Respondent, Respondent.id == before.respondent_id))
    out = {"both": 0, "left": 0, "same": 0, "right": 0, "before_sum": 0, "after_sum": 0}
    for raw_b, raw_a, n in session.exec(query).all():
        vb, va = json.loads(raw_b), json.loads(raw_a)
        if question.type == "likert" and (vb == 0 or va == 0):  # "don't know" has no position
            continue
        if not (isinstance(vb, int) and isinstance(va, int)):  # a trade-off's "I don't know"
            continue
        out["both"] += n
        out["before_sum"] += vb * n
        out["after_sum"] += va * n
        out["left" if va < vb else "right" if va > vb else "same"] += n
    both = out["both"]
    out["before_mean"] = out["before_sum"] / both if both else None
    out["after_mean"] = out["after_sum"] / both if both else None
    return out


@dataclass(frozen=True)
class TextPage:
    """One page of written answers and how many match: exactly, or "more than" when the count
    was stopped early (see ``text_answers``)."""

    rows: list
    total: int
    exact: bool
    has_next: bool


def text_answers(session: Session, consultation: Consultation, filters: Filters, question_id: int | None,
                 search: str, page: int) -> TextPage:
    """One page of written answers (redacted text only), newest first, and how many match.

    Without a search or a filter, ``ix_answer_written`` gives both the page and an exact count.
    A search has to read every text and a filter needs each respondent, so then matches are
    found newest first and counting stops after ``COUNT_LIMIT`` beyond this page.
    """
    if question_id:
        ids = [question_id]
    else:
        ids = session.exec(select(Question.id).where(Question.consultation_id == consultation.id)).all()
    query = select(Answer.id).where(Answer.question_id.in_(ids), Answer.text_redacted.is_not(None))
    if search:
        query = query.where(Answer.text_redacted.icontains(search, autoescape=True))
    if filters.active:
        query = filters.apply(query.join(Respondent, Respondent.id == Answer.respondent_id))
    offset = (page - 1) * TEXT_PAGE_SIZE
    newest = query.order_by(Answer.id.desc())
    if search or filters.active:
        limit = offset + TEXT_PAGE_SIZE + COUNT_LIMIT
        found = session.exec(newest.limit(limit + 1)).all()
        total, exact = min(len(found), limit), len(found) <= limit
        shown = found[offset:offset + TEXT_PAGE_SIZE]
    else:
        total, exact = session.exec(select(func.count()).select_from(query.subquery())).one(), True
        shown = session.exec(newest.offset(offset).limit(TEXT_PAGE_SIZE)).all()
    rows = session.exec(select(Answer.id, Answer.question_id, Answer.text_redacted, Answer.safeguarding,
                               Respondent.id.label("respondent_id"), Respondent.segment)
                        .join(Respondent, Respondent.id == Answer.respondent_id)
                        .where(Answer.id.in_(shown)).order_by(Answer.id.desc())).all() if shown else []
    return TextPage(rows=rows, total=total, exact=exact, has_next=total > offset + TEXT_PAGE_SIZE)


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
