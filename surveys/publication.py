"""'You said, we did': composing, publishing and reading a consultation's public results page.

Each save makes a new numbered draft; publishing one makes it the public page (and retires the one
before); unpublishing retires it. What the page shows is worked out when it is read, from the
answers as they are then: counts and charts leave out groups smaller than the minimum, and quotes
are the redacted text of the approved answers that still exist, so a withdrawn answer's quote is
gone from the published page at once. Operations add and flush; callers commit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, func, select

from .groups import coarsened, hide_small
from .models import (
    AnalysisRun,
    Answer,
    Consultation,
    PublicationVersion,
    Question,
    Respondent,
    Theme,
    ThemeAssignment,
    utcnow,
)
from .theme_stance import tradeoff_name
from .translations import SOURCE, English, localise_question
from .types import get_type
from .types.tradeoff import SCALE_LEVELS
from .wording import N_, Refusal, gettext, lower_first

QUOTE_CANDIDATES = 6


class PublicationError(Refusal):
    """A publication step that cannot be taken; the message is shown to the facilitator."""


def charted(question: Question) -> bool:
    """The page may chart this question: its type counts answers from a fixed list (a scale, options),
    not an order, amounts, pairs judged or written words."""
    return get_type(question.type).counted_answers(question) is not None


def question_names(questions: list[Question]) -> dict[int, str]:
    """Each question's name where charts are chosen and shown: its prompt, but a trade-off asked at
    the start and again at the end is told apart ("… (at the start)", "… (at the end)")."""
    repeated = {q.repeat_of_id for q in questions if q.repeat_of_id}
    return {q.id: tradeoff_name(q, repeated) if q.repeat_of_id or q.id in repeated else q.prompt
            for q in questions}


def versions(session: Session, consultation: Consultation) -> list[PublicationVersion]:
    return list(session.exec(select(PublicationVersion)
                             .where(PublicationVersion.consultation_id == consultation.id)
                             .order_by(PublicationVersion.number.desc())).all())


def version(session: Session, consultation: Consultation, number: int) -> PublicationVersion | None:
    return session.exec(select(PublicationVersion).where(
        PublicationVersion.consultation_id == consultation.id, PublicationVersion.number == number)).first()


#: Built once, a Core statement on the session's connection: the start and answers-sent pages
#: ask it for every visitor (see consultations.freshness).
_TABLE = PublicationVersion.__table__
_HAS_PUBLISHED = core_select(_TABLE.c.id).where(_TABLE.c.consultation_id == bindparam("consultation_id"),
                                                _TABLE.c.status == "published").limit(1)


def has_published(session: Session, consultation: Consultation) -> bool:
    """Whether the consultation has a published results page (without reading the page)."""
    return session.connection().execute(_HAS_PUBLISHED, {"consultation_id": consultation.id}).first() \
        is not None


def published(session: Session, consultation: Consultation) -> PublicationVersion | None:
    return session.exec(select(PublicationVersion).where(
        PublicationVersion.consultation_id == consultation.id,
        PublicationVersion.status == "published")).first()


def save_draft(session: Session, consultation: Consultation, user_id: int | None,
               **values) -> PublicationVersion:
    """A new numbered draft with these contents (the published page is untouched until publish)."""
    latest = session.exec(select(func.max(PublicationVersion.number))
                          .where(PublicationVersion.consultation_id == consultation.id)).one() or 0
    draft = PublicationVersion(consultation_id=consultation.id, number=latest + 1, created_by=user_id,
                               **values)
    session.add(draft)
    session.flush()
    return draft


def publish(session: Session, consultation: Consultation,
            draft: PublicationVersion) -> PublicationVersion | None:
    """Make ``draft`` the public page; returns the version it replaced, if any. A draft
    consultation has no public page (nobody has taken part): its outcome is not published."""
    if consultation.status == "draft":
        raise PublicationError(N_("This consultation is still a draft: it has no public page and nobody "
                                  "has taken part, so its outcome cannot be published. Nothing was "
                                  "published and nobody was emailed."))
    if draft.status == "published":
        raise PublicationError(N_("This version is already published."))
    before = unpublish(session, consultation)
    draft.status, draft.published_at = "published", utcnow()
    session.add(draft)
    session.flush()
    return before


def unpublish(session: Session, consultation: Consultation) -> PublicationVersion | None:
    current = published(session, consultation)
    if current is not None:
        current.status = "retired"
        session.add(current)
        session.flush()
    return current


# What the page shows -------------------------------------------------------------------------

@dataclass
class Chart:
    question: Question
    #: {"groups": [{"segment", "answered", "rows": [(label, count, share %, point)]}]}, Everyone first.
    result: dict
    #: Its heading: the prompt, or a repeated trade-off's name with when it was asked.
    name: str = ""

    @property
    def between_poles(self) -> bool:
        """Its answers are points between two poles: charted by group, diverging from the middle."""
        return get_type(self.question.type).between_poles


@dataclass
class ThemeShown:
    label: str
    description: str
    #: People with an answer in the theme; None: fewer than the minimum.
    count: int | None
    quotes: list[str] = field(default_factory=list)


@dataclass
class Content:
    submitted: int | None
    by_channel: dict[str, int | None]
    by_segment: dict[str, int | None]
    segment_labels: dict[str, str]
    charts: list[Chart]
    themes: list[ThemeShown]
    enough: bool


def forget_answers(session: Session, respondents) -> int:
    """Take these people's answers out of every version's approved quotes, before the answers are
    deleted (withdrawal, an admin's deletion, retention: ``responses.erase``). Quotes are shown
    only while their answer exists, but a kept id could later name someone else's answer (SQLite
    reuses the highest row id), which nobody approved. ``respondents`` is a list of respondent ids
    or a ``select`` of them. Returns how many versions changed. Flushes; the caller commits."""
    who = respondents if hasattr(respondents, "subquery") else list(respondents)
    rows = session.exec(select(Answer.id, Respondent.consultation_id)
                        .join(Respondent, Respondent.id == Answer.respondent_id)
                        .where(Answer.respondent_id.in_(who), Answer.text_redacted.is_not(None))).all()
    gone = {a for a, _ in rows}
    if not gone:
        return 0
    changed = 0
    for v in session.exec(select(PublicationVersion).where(
            PublicationVersion.consultation_id.in_({c for _, c in rows}))).all():
        if any(int(i) in gone for i in v.quote_answer_ids):
            v.quote_answer_ids = [i for i in v.quote_answer_ids if int(i) not in gone]
            session.add(v)
            changed += 1
    session.flush()
    return changed


def _suppress(n: int, minimum: int) -> int | None:
    return n if n >= minimum else None


def content(session: Session, consultation: Consultation, v: PublicationVersion, minimum: int,
            language: str = SOURCE) -> Content:
    """What the page shows, for a reader of ``language``: questions and their answers' labels in it
    where the consultation offers it; theme names (the analysis's own words) marked English."""
    submitted_q = (select(Respondent.channel, Respondent.segment, func.count())
                   .where(Respondent.consultation_id == consultation.id,
                          Respondent.submitted_at.is_not(None))
                   .group_by(Respondent.channel, Respondent.segment))
    channels: Counter = Counter()
    segments: Counter = Counter()
    for channel, segment, n in session.exec(submitted_q).all():
        channels[channel] += n
        segments[segment or ""] += n
    total = sum(channels.values())
    questions = list(session.exec(select(Question).where(Question.consultation_id == consultation.id)
                                  .order_by(Question.page_id, Question.position)).all())
    if language != SOURCE:
        questions = [localise_question(q, consultation, language) for q in questions]
    segment_q = next((q for q in questions if q.is_segment), None)
    labels = {str(o["key"]): o["label"] for o in (segment_q.config.get("options", []) if segment_q else [])}
    enough = total >= minimum
    charts = _charts(session, consultation, questions, v.question_keys, minimum) if enough else []
    themes = _themes(session, consultation, v, minimum) if enough else []
    if language != SOURCE:
        themes = [ThemeShown(English(t.label), English(t.description) if t.description else "", t.count,
                             t.quotes) for t in themes]
    # The total is shown, so one small count hidden alone could be worked out from it: the same rule
    # as every other count (people who did not say their group count as a group, though not listed).
    by_channel = hide_small(dict(sorted(channels.items())), minimum)
    by_segment = hide_small(dict(sorted(segments.items())), minimum)
    return Content(submitted=_suppress(total, minimum), by_channel=by_channel,
                   by_segment={s: n for s, n in by_segment.items() if s},
                   segment_labels=labels, charts=charts, themes=themes, enough=enough)


def _charts(session, consultation, questions, keys, minimum) -> list[Chart]:
    # Not the segment question: who took part is said above it, with its small groups hidden.
    chosen = [q for q in sorted(questions, key=lambda q: keys.index(q.key) if q.key in keys else 0)
              if q.key in keys and charted(q) and not q.is_segment]
    if not chosen:
        return []
    rows = session.exec(select(Answer.question_id, Answer.value, Respondent.segment).join(Respondent)
                        .where(Respondent.consultation_id == consultation.id,
                               Respondent.submitted_at.is_not(None),
                               Answer.question_id.in_([q.id for q in chosen]))).all()
    values: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for qid, value, segment in rows:
        if value is not None:
            values[qid][""].append(value)
            if segment:
                values[qid][segment].append(value)
    names = question_names(questions)
    charts = []
    for q in chosen:
        # Answers between two poles (trade-offs) by group; the other charts for everyone.
        groups = (_by_group(q, values[q.id], minimum) if get_type(q.type).between_poles else
                  [{"segment": "", "answered": len(values[q.id][""]),
                    "rows": _rows(q, values[q.id][""], minimum)}]
                  if len(values[q.id][""]) >= minimum else [])
        if groups:
            charts.append(Chart(q, {"groups": groups}, names[q.id]))
    return charts


#: Where the people of no group are counted: everyone less the groups gives them away.
_NO_GROUP = object()


def _by_group(q: Question, values: dict[str, list], minimum: int) -> list[dict]:
    """Everyone and each group between the two poles: at the seven points, or at three sides where
    some group has a point of too few people to show, leaving out a group whose sides would still
    single someone out (:func:`surveys.groups.coarsened`)."""
    counts = {segment: Counter(given) for segment, given in values.items()}
    counts[_NO_GROUP] = counts.get("", Counter()) - sum((c for s, c in counts.items() if s), Counter())
    labels = dict((point, label) for label, point in get_type(q.type).counted_answers(q))
    level, table = coarsened(counts, minimum, SCALE_LEVELS)
    if level:
        labels = {-2: gettext("Leaned towards %(pole)s", pole=lower_first(q.config.get("left", ""))),
                  0: labels.get(0, ""),
                  2: gettext("Leaned towards %(pole)s", pole=lower_first(q.config.get("right", "")))}
    groups = []
    for segment in sorted((s for s in values if table.get(s) is not None), key=lambda s: (s != "", s)):
        n = sum(table[segment].values())
        groups.append({"segment": segment, "answered": n, "sides": bool(level), "rows": [
            (label, table[segment][p], round(100 * table[segment][p] / n) if n else 0, p)
            for p, label in labels.items()]})
    return groups


def _rows(q: Question, given: list, minimum: int) -> list[tuple]:
    """``(label, people, share, answer)`` per answer, with the people and share None where the
    count could single someone out (``hide_small``)."""
    items = get_type(q.type).counted_answers(q)
    counts: Counter = Counter()
    for value in given:
        for v in value if isinstance(value, list) else [value]:
            counts[v] += 1
    n = len(given)
    shown = hide_small({key: counts[key] for _label, key in items}, minimum)
    return [(label, shown[key], None if shown[key] is None else round(100 * counts[key] / n) if n else 0, key)
            for label, key in items]


def _themes(session, consultation, v: PublicationVersion, minimum) -> list[ThemeShown]:
    if not v.run_id or not v.theme_ids:
        return []
    run = session.get(AnalysisRun, v.run_id)
    if run is None or run.consultation_id != consultation.id:
        return []
    themes = {t.id: t for t in session.exec(select(Theme).where(Theme.run_id == run.id)).all()}
    parent_of = {t.id: (t.parent_id or t.id) for t in themes.values()}
    # People, not answers (one person may have several in a theme): the smallest-group rule is
    # about people, as on the board. Sent responses only, as every figure published.
    top = func.coalesce(Theme.parent_id, Theme.id)
    counts = dict(session.exec(
        select(top, func.count(Answer.respondent_id.distinct()))
        .join(ThemeAssignment, ThemeAssignment.theme_id == Theme.id)
        .join(Answer, Answer.id == ThemeAssignment.answer_id)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(ThemeAssignment.run_id == run.id, Respondent.submitted_at.is_not(None))
        .group_by(top)).all())
    quotes = approved_quotes(session, consultation, v.quote_answer_ids)
    placed = dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                               .where(ThemeAssignment.run_id == run.id,
                                      ThemeAssignment.answer_id.in_(list(quotes) or [0]))).all())
    out = []
    for theme_id in v.theme_ids:
        theme = themes.get(theme_id)
        if theme is None:
            continue
        shown = [text for answer_id, text in quotes.items()
                 if parent_of.get(placed.get(answer_id)) == theme_id]
        count = _suppress(counts.get(theme_id, 0), minimum)
        out.append(ThemeShown(theme.label, theme.description, count, shown))
    return out


def approved_quotes(session, consultation, answer_ids: list[int]) -> dict[int, str]:
    """The redacted text of approved answers that still exist, belong to this consultation's sent
    responses and are not flagged for safeguarding (those are never quoted)."""
    if not answer_ids:
        return {}
    rows = session.exec(select(Answer.id, Answer.text_redacted).join(Respondent)
                        .where(Answer.id.in_(answer_ids), Respondent.consultation_id == consultation.id,
                               Respondent.submitted_at.is_not(None), Answer.text_redacted.is_not(None),
                               Answer.safeguarding.is_(False))).all()
    found = dict(rows)
    return {i: found[i] for i in answer_ids if i in found}


def quote_candidates(session, run: AnalysisRun, theme: Theme, keep: list[int]) -> list[tuple[int, str]]:
    """Answers placed in a theme (or its sub-themes), best placed first, to approve as quotes."""
    ids = [theme.id] + list(session.exec(select(Theme.id).where(Theme.parent_id == theme.id)).all())
    rows = session.exec(select(Answer.id, Answer.text_redacted)
                        .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
                        .where(ThemeAssignment.run_id == run.id, ThemeAssignment.theme_id.in_(ids),
                               Answer.text_redacted.is_not(None), Answer.safeguarding.is_(False))
                        .order_by(ThemeAssignment.score.desc(), Answer.id)).all()
    chosen = [r for r in rows if r[0] in keep]
    others = [r for r in rows if r[0] not in keep][:max(QUOTE_CANDIDATES - len(chosen), 0)]
    return [tuple(r) for r in chosen + others]
