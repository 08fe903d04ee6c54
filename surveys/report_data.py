"""Everything the theme summary report shows, gathered from the database in a few queries.

The result is plain dataclasses that the DOCX and PDF renderers draw from, so both say the same.
Privacy rules are applied here, once: only redacted text is read (never ``Answer.text``), and a
group smaller than the consultation's minimum is never broken down. A count that could single
someone out (``surveys.groups.hidden_cells``, the rule the board and the matrix use too) is
``None``; renderers show it as "not shown".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, func, select

from surveys import theme_board
from surveys.evaluation import summary as blind_check
from surveys.groups import coarsened, fallback_name, hide_small, segment_groups
from surveys.models import (
    AnalysisRun,
    Answer,
    Consultation,
    Page,
    Question,
    Respondent,
    RunAnswer,
    Theme,
    ThemeAssignment,
    ThemeEdit,
)
from surveys.response_export import as_read, group_names, question_names
from surveys.theme_runs import feeling_shares, feeling_text, quote_texts
from surveys.theme_stance import LEFT, MIDDLE, RIGHT, Stance, theme_stances, tradeoff_name
from surveys.theme_tally import tallies
from surveys.translations import SOURCE, localise_consultation, localise_question
from surveys.types import get_type
from surveys.types.tradeoff import POINTS, SCALE_LEVELS
from surveys.wording import gettext as _
from surveys.wording import ngettext

#: The group of people who gave none: the board's key, which no option key can be (it has a space).
NOT_SAID = theme_board.NOT_SAID


@dataclass(frozen=True)
class Segment:
    key: str
    name: str


@dataclass
class Distribution:
    """Positions on a trade-off scale (−3 … +3) for one group; ``counts`` is None when too few."""

    group: str
    total: int
    counts: dict[int, int] | None
    #: The counts are of the three sides (at -2, 0 and +2), not the seven points: some point of
    #: some group had too few people to show (:func:`surveys.groups.coarsened`).
    sides: bool = False
    #: Enough people answered, but where they stand is not shown: it would single someone out.
    protected: bool = False
    #: How many answered may be said (False: with the other groups' totals it would give away a
    #: group too small to show).
    total_shown: bool = True

    @property
    def shown(self) -> bool:
        return self.counts is not None

    def share(self, points) -> float:
        """Share (0-1) of the group at the given points."""
        if not self.counts or not self.total:
            return 0.0
        return sum(self.counts.get(p, 0) for p in points) / self.total

    @property
    def left(self) -> float:
        return self.share((-3, -2, -1))

    @property
    def middle(self) -> float:
        return self.share((0,))

    @property
    def right(self) -> float:
        return self.share((1, 2, 3))

    def side_shares(self, minimum: int) -> tuple[float | None, float | None, float | None]:
        """The shares leaning left, in the middle and right, each None where it is a count that
        could single someone out (``hide_small``: the stance sentence never counts such a side)."""
        sides = {"left": (-3, -2, -1), "middle": (0,), "right": (1, 2, 3)}
        counts = {side: sum((self.counts or {}).get(p, 0) for p in points) for side, points in sides.items()}
        shown = hide_small(counts, minimum)
        return tuple(None if shown[side] is None else counts[side] / self.total for side in sides)


@dataclass
class Tradeoff:
    """A trade-off question across the consultation, by group; with its "before" if it was repeated."""

    question_id: int
    key: str
    prompt: str
    left: str
    right: str
    middle: str
    groups: list[Distribution]
    before: list[Distribution] | None = None
    before_prompt: str | None = None


@dataclass
class ThemePosition:
    """Where a theme's people stand on one of its related trade-offs (``surveys.theme_stance``):
    people, not answers, as the theme's stance sentence counts them."""

    question_id: int
    #: "Left or right", with "(at the start)" or "(at the end)" for a repeated question.
    name: str
    prompt: str
    left: str
    right: str
    middle: str
    distribution: Distribution


@dataclass
class ThemeSection:
    id: int
    label: str
    description: str
    #: Answers in the theme, and its share of the answers placed in a theme.
    size: int
    share: float
    #: People with an answer in the theme (one person may have several).
    people: int
    #: People per segment key, None where the count could single someone out
    #: (:func:`surveys.theme_board.theme_groups`).
    segments: dict[str, int | None]
    keywords: list[str]
    quotes: list[str]
    reviewed: bool
    sentiment: float | None
    subthemes: list[str] = field(default_factory=list)
    positions: list[ThemePosition] = field(default_factory=list)
    #: "62% negative, 25% mixed, 13% positive", or "" when nothing was scored.
    feeling: str = ""
    #: Where the theme's people stand on its related trade-off (the one they differ most on), in words.
    stances: list[str] = field(default_factory=list)
    #: The stance says how they divide (not that they are too few to say).
    stance_divides: bool = False

    @property
    def broken_down(self) -> bool:
        """Some group's count in the theme is shown (not only groups of none)."""
        return any(self.segments.values())


@dataclass
class Evaluation:
    kappa: float
    n: int


@dataclass
class Report:
    consultation_title: str
    slug: str
    run_id: int
    generated: date
    minimum: int
    responses: int
    #: Written answers the run analysed, and those to its questions that came in after it.
    written_answers: int
    #: The people who wrote the answers analysed (of ``responses``, everyone who took part).
    writers: int
    later_answers: int
    placed: int
    questions: list[str]
    segments: list[Segment]
    themes: list[ThemeSection]
    reviewed: int
    evaluation: Evaluation | None
    tradeoffs: list[Tradeoff]
    #: Themes the computer found when the run finished, before anyone edited them.
    automatic_themes: int = 0
    #: The kinds of edit in the run's edit log ("rename", "merge", …): what a facilitator did to
    #: the themes and has not undone.
    edits: set[str] = field(default_factory=set)

    @property
    def unplaced(self) -> int:
        return max(0, self.written_answers - self.placed)


def distributions(rows: dict[tuple, list], minimum: int) -> dict[tuple, Distribution]:
    """Each group's positions (``(…, group) -> values``), all at the seven points or all at the
    three sides, with no count that could single someone out (:func:`surveys.groups.coarsened`);
    a ``NOT_SAID`` group is counted but not returned."""
    given = {key: [v for v in values if v in POINTS] for key, values in rows.items()}
    level, table = coarsened({key: Counter(vs) for key, vs in given.items()}, minimum, SCALE_LEVELS)
    return {key: Distribution(key[-1], len(vs), None if table[key] is None
                              else {p: table[key].get(p, 0) for p in POINTS},
                              sides=level > 0, protected=table[key] is None and len(vs) >= minimum)
            for key, vs in given.items() if key[-1] != NOT_SAID}


def _stance_distribution(stance: Stance, minimum: int) -> Distribution:
    """A theme's people on one trade-off, by side (at -2, 0 and +2), as its stance counts them."""
    if stance.people < minimum:
        return Distribution(_("People in this theme"), stance.people, None)
    counts = {p: 0 for p in POINTS} | {-2: stance.counts[LEFT], 0: stance.counts[MIDDLE],
                                       2: stance.counts[RIGHT]}
    return Distribution(_("People in this theme"), stance.people, counts, sides=True)


def gather(session: Session, consultation: Consultation, run: AnalysisRun, minimum: int,
           today: date | None = None, language: str = SOURCE) -> Report:
    """Collect the report for one finished analysis run.

    The consultation's own words (title, questions, their scales' poles and groups) are in
    ``language`` where the consultation offers it and gives them, else as written (English).
    """
    minimum = max(1, int(minimum))
    questions = session.exec(
        select(Question).join(Page, Page.id == Question.page_id)
        .where(Question.consultation_id == consultation.id)
        .order_by(Page.position, Question.position)).all()
    if language != SOURCE:
        questions = [localise_question(q, consultation, language) for q in questions]
    repeated = {q.repeat_of_id for q in questions if q.repeat_of_id}
    segments = _segments(session, consultation, questions)
    seg_keys = [s.key for s in segments]

    responses = session.exec(select(func.count()).select_from(Respondent).where(
        Respondent.consultation_id == consultation.id, Respondent.submitted_at.is_not(None))).one()
    written, later = analysed_counts(session, run)
    writers = analysed_writers(session, run)

    themes = session.exec(select(Theme).where(Theme.run_id == run.id)
                          .order_by(Theme.position, Theme.id)).all()
    top = [t for t in themes if t.parent_id is None]
    quotes = quote_texts(session, top)
    tally = tallies(session, run)
    stances = theme_stances(session, run, minimum, language, tally)
    feelings = {t: feeling_shares(counts["feelings"]) for t, counts in tally.themes.items()}
    subs: dict[int, list[str]] = defaultdict(list)
    for t in themes:
        if t.parent_id is not None:
            subs[t.parent_id].append(t.label)

    # Answers in each theme (its size), and its people by group (the board's and the matrix's
    # table, hidden as they hide it). No text.
    sizes = theme_board.theme_sizes(session, run, tally)
    placed = sum(sizes.values())
    table = theme_board.theme_groups(session, run, minimum, [g.key for g in segment_groups(questions)], tally)
    sections = []
    for t in top:
        size = sizes.get(t.id, 0)
        section = ThemeSection(
            id=t.id, label=t.label, description=t.description or "", size=size,
            share=size / placed if placed else 0.0,
            people=sum(table.people.get(t.id, {}).values()),
            segments={k: table.shown(t.id, k) for k in seg_keys},
            keywords=[str(k) for k in (t.keywords or [])][:10],
            quotes=[q for q in quotes[t.id] if q][:5],
            reviewed=bool(t.reviewed), sentiment=t.sentiment, subthemes=subs.get(t.id, []),
            stances=[st.sentence for st in stances.get(t.id, [])[:1]],
            stance_divides=any(st.says_how_they_divide for st in stances.get(t.id, [])[:1]),
            feeling=feeling_text(feelings.get(t.id)))
        # The table beside the stance sentence counts what it counts: the theme's people on each
        # of its related trade-offs (the sentence is the row where they differ most from everyone).
        by_question = {st.question_id: st for st in stances.get(t.id, [])}
        for q in questions:
            if q.id in by_question:
                section.positions.append(ThemePosition(
                    q.id, tradeoff_name(q, repeated), q.prompt, q.config.get("left", ""),
                    q.config.get("right", ""), q.config.get("middle", _("Both equally")),
                    _stance_distribution(by_question[q.id], minimum)))
        sections.append(section)
    sections.sort(key=lambda s: -s.size)

    ev = blind_check(session, run)  # from the codes as they are now, never a kept copy
    evaluation = Evaluation(float(ev["kappa"]), int(ev["n"])) if ev else None

    return Report(
        consultation_title=str(localise_consultation(consultation, language).title), slug=consultation.slug,
        run_id=run.id,
        generated=today or date.today(), minimum=minimum, responses=responses, written_answers=written,
        writers=writers, later_answers=later,
        placed=placed, questions=[_question_name(q, repeated) for q in questions if q.id in run.question_ids],
        segments=segments, themes=sections, reviewed=sum(1 for t in top if t.reviewed),
        evaluation=evaluation, tradeoffs=_tradeoffs(session, questions, minimum),
        # The count the run kept when it finished (:func:`surveys.theme_runs.store_results`); edits never
        # change it. A run kept without it counts the themes it has now.
        automatic_themes=int(run.metrics.get("themes", len(top))),
        edits=set(session.exec(select(ThemeEdit.action).where(ThemeEdit.run_id == run.id).distinct()).all()))


def _question_name(q: Question, repeated: set[int]) -> str:
    if not get_type(q.type).between_poles:
        return q.prompt
    return _("The reasons people gave for where they stand: %(name)s", name=tradeoff_name(q, repeated))


def _segments(session: Session, consultation: Consultation, questions: list[Question]) -> list[Segment]:
    """The segment question's groups in its order, named by its labels; then any others seen (an
    option since removed), then "not said". None where nobody was asked their group (no segment
    question): a column of everyone, "not said", would only repeat each theme's size."""
    named = {g.key: g.name for g in segment_groups(questions)}
    seen = session.exec(select(Respondent.segment).where(
        Respondent.consultation_id == consultation.id, Respondent.submitted_at.is_not(None))
        .distinct()).all()
    keys = list(named) + sorted(str(s) for s in seen if s is not None and str(s) not in named)
    out = [Segment(k, named.get(k) or fallback_name(k)) for k in keys]
    if None in seen and out:
        out.append(Segment(NOT_SAID, _("Not said")))
    return out


def _tradeoffs(session: Session, questions: list[Question], minimum: int) -> list[Tradeoff]:
    staff = {g.key for g in segment_groups(questions) if g.staff}
    tradeoffs = [q for q in questions if get_type(q.type).between_poles]
    if not tradeoffs:
        return []
    rows = session.exec(
        select(Answer.question_id, Respondent.segment, Answer.value)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Answer.question_id.in_([q.id for q in tradeoffs]), Respondent.submitted_at.is_not(None),
               Answer.value.is_not(None))).all()
    values: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for question_id, segment, value in rows:
        values[question_id][segment or NOT_SAID].append(value)

    def groups(*question_ids: int) -> list[list[Distribution]]:
        """Each question's groups; a repeated question's two askings at the same level of detail."""
        rows: dict[tuple[int, str], list] = {}
        for when, question_id in enumerate(question_ids):
            by_seg = values.get(question_id, {})
            rows[when, _("Everyone")] = [v for vs in by_seg.values() for v in vs]
            staff_values = [v for k, vs in by_seg.items() if k in staff for v in vs]
            if staff_values:  # patients, carers and public side by side with staff
                rows[when, _("Patients, carers and public")] = [
                    v for k, vs in by_seg.items() if k not in staff and k != NOT_SAID for v in vs]
                rows[when, _("NHS staff")] = staff_values
                rows[when, NOT_SAID] = by_seg.get(NOT_SAID, [])  # not shown; everyone less the rest
        shown = distributions(rows, minimum)
        for when in range(len(question_ids)):
            # Everyone's total is said, and the groups' add up to it (with the people in no group,
            # never said): no group's may give away another of 1 to minimum - 1 (``hide_small``).
            split = [g for w, g in rows if w == when and g != _("Everyone")]
            totals = {g: sum(1 for v in rows[when, g] if v in POINTS) for g in split}
            for g, n in hide_small(totals, minimum).items():
                if n is None and (when, g) in shown:
                    shown[when, g] = Distribution(g, totals[g], None, protected=totals[g] >= minimum,
                                                  total_shown=False)
        return [[d for (w, _g), d in shown.items() if w == when] for when in range(len(question_ids))]

    repeated = {q.repeat_of_id: q for q in tradeoffs if q.repeat_of_id}
    by_id = {q.id: q for q in tradeoffs}
    out = []
    for q in tradeoffs:
        if q.id in repeated:
            continue  # shown with the question that repeats it
        c = q.config
        item = Tradeoff(q.id, q.key, q.prompt, c.get("left", ""), c.get("right", ""),
                        c.get("middle", _("Both equally")), groups(q.id)[0])
        if q.repeat_of_id in by_id:
            item.before, item.groups = groups(q.repeat_of_id, q.id)
            item.before_prompt = by_id[q.repeat_of_id].prompt
        out.append(item)
    return out


@dataclass(frozen=True)
class AnswerRow:
    """An analysed answer (redacted) with its theme, for the answers-with-themes downloads."""

    number: int
    #: The respondent's number, as the responses download gives it: the two join on it.
    respondent: int
    #: The question as the download's reader meets it (see ``response_export.as_read``).
    question: str
    text: str
    #: The theme's label, or None for an answer placed in no theme; its sub-theme's likewise.
    theme: str | None
    subtheme: str | None
    #: "negative", "mixed" or "positive" (None when not scored: a Welsh answer).
    sentiment: str | None
    #: The respondent's group by key ("" when not said), and by name as the consultation gives it.
    group: str
    group_name: str
    channel: str
    flagged: bool


def _written(run: AnalysisRun):
    """The written answers to the run's questions that can be analysed now (submitted, with text)."""
    return (Answer.question_id.in_(run.question_ids), Respondent.submitted_at.is_not(None),
            Answer.text_redacted.is_not(None))


def _analysed(run: AnalysisRun):
    """Join condition: the answer is one the run analysed (it learnt from it, or an update of it
    took it in: :class:`surveys.models.RunAnswer`)."""
    return (RunAnswer.run_id == run.id) & (RunAnswer.answer_id == Answer.id)


def analysed_counts(session: Session, run: AnalysisRun) -> tuple[int, int]:
    """How many written answers the run analysed, and how many to its questions came in after it
    (not in its themes, its counts or its downloads until an update takes them in)."""
    written = select(func.count()).select_from(Answer).join(Respondent, Respondent.id == Answer.respondent_id)
    everyone = session.exec(written.where(*_written(run))).one()
    analysed = session.exec(written.join(RunAnswer, _analysed(run)).where(*_written(run))).one()
    return analysed, everyone - analysed


def analysed_writers(session: Session, run: AnalysisRun) -> int:
    """How many people wrote the answers the run analysed (not everyone who took part: some wrote
    nothing to its questions, some came after it)."""
    writers = (select(func.count(func.distinct(Answer.respondent_id))).select_from(Answer)
               .join(Respondent, Respondent.id == Answer.respondent_id).join(RunAnswer, _analysed(run))
               .where(*_written(run)))
    return session.exec(writers).one()


def later_sentence(later: int) -> str:
    """What a report or download says of the answers that came in after the analysis ("" if none),
    in the language being served."""
    if not later:
        return ""
    return ngettext("%(num)s more written answer came in after this analysis ran. It is not included "
                    "here: add new answers to the themes, or start a new analysis, to include it.",
                    "%(num)s more written answers came in after this analysis ran. They are not included "
                    "here: add new answers to the themes, or start a new analysis, to include them.",
                    later, num=f"{later:,}")


def answer_rows(session: Session, run: AnalysisRun, language: str = SOURCE) -> Iterator[AnswerRow]:
    """Each answer the run analysed (redacted) with its respondent, theme, sub-theme, sentiment,
    group, channel and safeguarding flag, in answer order (answers that came in after it are left
    out: ``analysed_counts``); the consultation's words (questions, groups) as a reader of
    ``language`` meets them in the responses download, by the same rule."""
    consultation = session.get(Consultation, run.consultation_id)
    themes = {t.id: t.label for t in session.exec(select(Theme).where(Theme.run_id == run.id))}
    asked = as_read(consultation, list(session.exec(
        select(Question).join(Page, Page.id == Question.page_id)
        .where(Question.consultation_id == run.consultation_id)
        .order_by(Page.position, Question.position))), language)
    names, groups = question_names(asked), group_names(asked)
    rows = session.exec(
        select(Answer.id, Answer.respondent_id, Answer.question_id, Answer.text_redacted,
               ThemeAssignment.theme_id, ThemeAssignment.subtheme_id, ThemeAssignment.sentiment,
               Respondent.segment, Respondent.channel, Answer.safeguarding)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .join(RunAnswer, _analysed(run))
        .outerjoin(ThemeAssignment, (ThemeAssignment.answer_id == Answer.id)
                   & (ThemeAssignment.run_id == run.id))
        .where(*_written(run))
        .order_by(Answer.id)).all()
    for aid, respondent, question_id, text, theme_id, sub_id, sentiment, segment, channel, flag in rows:
        yield AnswerRow(aid, respondent, names[question_id], text, themes.get(theme_id), themes.get(sub_id),
                        sentiment, segment or "", groups.get(segment, segment or ""), channel, bool(flag))
