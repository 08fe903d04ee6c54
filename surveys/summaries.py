"""Aggregates for the responses view, computed in SQL so they stay fast with many responses.

Each function runs a handful of GROUP BY queries (never one per respondent) and returns plain
dicts for the templates. Free text is only ever read from ``Answer.text_redacted``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Text, and_, case, cast, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from .models import Answer, Consultation, Page, Question, Respondent
from .types import get_type
from .types.base import OTHER_KEY, OTHER_LABEL, option_keys
from .types.tradeoff import POINTS

SCALAR_TYPES = ("tradeoff", "likert", "choice")
TEXT_PAGE_SIZE = 25


@dataclass(frozen=True)
class Filters:
    """Which respondents a summary covers."""

    channel: str | None = None
    segment: str | None = None
    completed_only: bool = False

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
    done = Respondent.submitted_at.is_not(None)
    query = filters.apply(select(Respondent.channel, Respondent.segment, Respondent.current_page,
                                 done.label("done"), func.count())
                          .where(Respondent.consultation_id == consultation.id)
                          .group_by(Respondent.channel, Respondent.segment, Respondent.current_page, done))
    position = {p.key: i for i, p in enumerate(pages)}
    out = {"started": 0, "completed": 0,
           "channels": defaultdict(lambda: {"started": 0, "completed": 0}),
           "segments": defaultdict(lambda: {"started": 0, "completed": 0})}
    reached_from = [0] * (len(pages) + 1)
    for channel, segment, current, is_done, n in session.exec(query).all():
        out["started"] += n
        out["completed"] += n if is_done else 0
        for group, key in (("channels", channel), ("segments", segment or "")):
            out[group][key]["started"] += n
            out[group][key]["completed"] += n if is_done else 0
        # The last page reached: all pages when submitted; the first when not yet past it.
        reached = len(pages) - 1 if is_done else position.get(current or "", 0)
        reached_from[max(reached, 0)] += n
    running, funnel = 0, []
    for i in range(len(pages) - 1, -1, -1):
        running += reached_from[i]
        funnel.append((pages[i], running))
    out["funnel"] = list(reversed(funnel))
    out["channels"], out["segments"] = dict(out["channels"]), dict(out["segments"])
    return out


def _base(question_ids, filters: Filters):
    return filters.apply(select().select_from(Answer).join(Respondent, Respondent.id == Answer.respondent_id)
                         .where(Answer.question_id.in_(question_ids)))


def _empty(q: Question, segments: list[str]) -> dict:
    return {"question": q, "segments": {s: defaultdict(int) for s in ["", *segments]}, "answered": {}}


def question_summaries(session: Session, questions: list[Question], segments: list[str],
                       filters: Filters) -> dict[int, dict]:
    """For each closed question: counts per answer, for everyone ("") and per segment."""
    out = {q.id: _empty(q, segments) for q in questions if q.type != "text"}
    by_type = defaultdict(list)
    for q in questions:
        if q.type != "text":
            by_type[q.type if q.type in ("multi", "rank", "allocate") else "scalar"].append(q)
    value_text = cast(Answer.value, Text)
    if by_type["scalar"]:
        ids = [q.id for q in by_type["scalar"]]
        query = _base(ids, filters).add_columns(Answer.question_id, Respondent.segment, value_text,
                                                func.count()) \
            .where(Answer.value.is_not(None)).group_by(Answer.question_id, Respondent.segment, value_text)
        for qid, segment, raw, n in session.exec(query).all():
            value = json.loads(raw) if raw not in (None, "null") else None
            if value is None:
                continue
            _add(out[qid], segment, str(value), n)
    for q in by_type["multi"]:
        keys = option_keys(q) + ([OTHER_KEY] if q.config.get("other") else [])
        cols = [func.sum(case((value_text.like(f'%"{k}"%'), 1), else_=0)) for k in keys]
        query = _base([q.id], filters).add_columns(Respondent.segment, func.count(), *cols) \
            .where(Answer.value.is_not(None)).group_by(Respondent.segment)
        for segment, n, *counts in session.exec(query).all():
            _add_answered(out[q.id], segment, n)
            for k, c in zip(keys, counts, strict=True):
                _add(out[q.id], segment, k, int(c or 0), count_answered=False)
    for q in by_type["rank"]:
        keys = option_keys(q)
        cols = [func.sum(case((Answer.value[i].as_string() == k, 1), else_=0))
                for i in range(len(keys)) for k in keys]
        query = _base([q.id], filters).add_columns(Respondent.segment, func.count(), *cols) \
            .where(Answer.value.is_not(None)).group_by(Respondent.segment)
        for segment, n, *counts in session.exec(query).all():
            _add_answered(out[q.id], segment, n)
            for i in range(len(keys)):
                for j, k in enumerate(keys):
                    c = int(counts[i * len(keys) + j] or 0)
                    _add(out[q.id], segment, f"{k}@{i + 1}", c, count_answered=False)
    for q in by_type["allocate"]:
        keys = option_keys(q)
        cols = [func.sum(Answer.value[k].as_integer()) for k in keys]
        query = _base([q.id], filters).add_columns(Respondent.segment, func.count(), *cols) \
            .where(Answer.value.is_not(None)).group_by(Respondent.segment)
        for segment, n, *sums in session.exec(query).all():
            _add_answered(out[q.id], segment, n)
            for k, total in zip(keys, sums, strict=True):
                _add(out[q.id], segment, k, int(total or 0), count_answered=False)
    return {qid: _shape(s) for qid, s in out.items()}


def _add_answered(summary, segment, n):
    for key in {"", segment or ""}:
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
    b, a = cast(before.value, Text).label("before"), cast(after.value, Text).label("after")
    query = filters.apply(
        select(b, a, func.count()).select_from(before)
        .join(after, and_(after.respondent_id == before.respondent_id, after.question_id == question.id))
        .join(Respondent, Respondent.id == before.respondent_id)
        .where(before.question_id == question.repeat_of_id, before.value.is_not(None),
               after.value.is_not(None))
        .group_by(b, a))
    out = {"both": 0, "left": 0, "same": 0, "right": 0, "before_sum": 0, "after_sum": 0}
    for raw_b, raw_a, n in session.exec(query).all():
        vb, va = json.loads(raw_b), json.loads(raw_a)
        if question.type == "likert" and (vb == 0 or va == 0):  # "don't know" has no position
            continue
        out["both"] += n
        out["before_sum"] += vb * n
        out["after_sum"] += va * n
        out["left" if va < vb else "right" if va > vb else "same"] += n
    both = out["both"]
    out["before_mean"] = out["before_sum"] / both if both else None
    out["after_mean"] = out["after_sum"] / both if both else None
    return out


def text_answers(session: Session, consultation: Consultation, filters: Filters, question_id: int | None,
                 search: str, page: int) -> tuple[list, int]:
    """One page of written answers (redacted text only), newest first, and how many match."""
    query = filters.apply(
        select().select_from(Answer).join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Respondent.consultation_id == consultation.id, Answer.text_redacted.is_not(None)))
    if question_id:
        query = query.where(Answer.question_id == question_id)
    if search:
        query = query.where(Answer.text_redacted.icontains(search, autoescape=True))
    total = session.exec(query.add_columns(func.count())).one()[0]
    rows = session.exec(query.add_columns(Answer.id, Answer.question_id, Answer.text_redacted,
                                          Answer.safeguarding, Respondent.reference, Respondent.segment)
                        .order_by(Answer.id.desc()).offset((page - 1) * TEXT_PAGE_SIZE)
                        .limit(TEXT_PAGE_SIZE)).all()
    return rows, total


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
