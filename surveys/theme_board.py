"""What the theme board shows: themes with their sizes, groups, quotes and stance, a theme's answers,
the theme × group matrix, and the lists the board's forms choose from. Aggregated in SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, func, select

from analysis.redact import placeholder_count
from surveys.groups import fallback_name, hidden_cells, hide_small, segment_groups
from surveys.models import AnalysisRun, Answer, Consultation, Question, Respondent, Theme, ThemeAssignment
from surveys.theme_edits import top_themes  # noqa: F401  (lives with the edits, which need it)
from surveys.theme_runs import feeling_shares, feeling_text, quote_texts
from surveys.theme_stance import theme_stances
from surveys.theme_tally import NOT_SAID, Tallies, tallies
from surveys.translations import SOURCE, localise_question
from surveys.wording import N_, gettext
from surveys.written_answers import text_contains

PAGE_SIZE = 25
#: The name of the group of people who did not answer the segment question.
NOT_SAID_NAME = N_("Not said")


def group_names(session: Session, consultation_id: int, language: str = SOURCE) -> dict[str, str]:
    """Each group's name by its key, in the segment question's order: the options' labels (in
    ``language`` where the consultation gives them), whatever the keys are."""
    questions = session.exec(select(Question).where(Question.consultation_id == consultation_id,
                                                    Question.is_segment)).all()
    if language != SOURCE and questions:
        consultation = session.get(Consultation, consultation_id)
        questions = [localise_question(q, consultation, language) for q in questions]
    return {g.key: g.name for g in segment_groups(questions)}


def _named(keys, named: dict[str, str]) -> dict[str, str]:
    """A name for each of ``keys``: the question's, else one made from the key, "Not said" last."""
    return {k: named.get(k) or (gettext(NOT_SAID_NAME) if k == NOT_SAID else fallback_name(k)) for k in keys}


def theme_sizes(session: Session, run: AnalysisRun, tally: Tallies | None = None) -> dict[int, int]:
    """How many answers each top-level theme of a run holds."""
    return {t: counts["answers"] for t, counts in (tally or tallies(session, run)).themes.items()}


@dataclass
class ThemeGroups:
    """How many people (not answers) of each group have an answer in each top-level theme, and
    which of those counts are hidden: the one table the board, the matrix and the report break a
    theme down by. A person answering several of the questions analysed can have several answers
    in a theme; the smallest-group rule is about people, so a group of two carers with six answers
    between them is two, and hidden."""

    #: Group keys: the segment question's, in its order, then any others seen, ``NOT_SAID`` last.
    order: list[str]
    #: Theme id -> group key -> people.
    people: dict[int, dict[str, int]]
    #: Group key -> people with an answer in any theme.
    totals: dict[str, int]
    #: The (theme, group) counts not shown (:func:`theme_groups_hidden`).
    hidden: set[tuple[int, str]]

    def shown(self, theme_id: int, group: str) -> int | None:
        """A theme's people of one group, or None where that could single someone out."""
        return None if (theme_id, group) in self.hidden else self.people.get(theme_id, {}).get(group, 0)


def theme_groups(session: Session, run: AnalysisRun, minimum: int, named: Iterable[str] = (),
                 tally: Tallies | None = None) -> ThemeGroups:
    """Each top-level theme's people by group (``named``: the segment question's keys, in order),
    counting only sent responses, as every analysis does."""
    tally = tally or tallies(session, run)
    people = {t: counts["people"] for t, counts in tally.themes.items()}
    totals = tally.run["people"]
    named = list(named)
    order = named + sorted(set(totals) - set(named) - {NOT_SAID}) + ([NOT_SAID] if NOT_SAID in totals else [])
    themes = [t.id for t in top_themes(session, run.id)]
    return ThemeGroups(order, people, totals, theme_groups_hidden(people, themes, order, minimum))


def board(session: Session, run_id: int, minimum: int = 1, language: str = SOURCE) -> list[dict]:
    """Top-level themes with size (answers), people, people per group, quotes and where they stand.

    ``groups`` gives each group's people in the theme, named (by the segment question's labels,
    in ``language``) and in the question's order, "Not said" last, each ``shown`` or not
    (:func:`theme_groups`, as in the matrix and the report)."""
    run = session.get(AnalysisRun, run_id)
    tally = tallies(session, run)
    themes = top_themes(session, run_id)
    quotes = quote_texts(session, themes)
    stances = theme_stances(session, run, minimum, language, tally)
    named = group_names(session, run.consultation_id, language)
    table = theme_groups(session, run, minimum, named, tally)
    names = _named(table.order, named)

    def groups(theme_id: int) -> list[dict]:
        counts = table.people.get(theme_id, {})
        # A hidden 0 is listed too: leaving it out would say that it is 0.
        return [{"key": k, "name": names[k], "count": table.shown(theme_id, k), "shown": (theme_id, k) not in
                 table.hidden} for k in table.order if counts.get(k) or (theme_id, k) in table.hidden]

    out = [{"theme": t, "groups": groups(t.id), "size": tally.themes[t.id]["answers"],
            "people": sum(table.people.get(t.id, {}).values()),
            "quotes": quotes[t.id], "stance": (stances.get(t.id) or [None])[0],
            "feeling": feeling_text(feeling_shares(tally.themes[t.id]["feelings"]))}
           for t in themes]
    return sorted(out, key=lambda r: -r["size"])


def theme_groups_hidden(counts: dict[int, dict[str, int]], themes: list[int], groups: list[str],
                        minimum: int) -> set[tuple[int, str]]:
    """The (theme, group) counts of people the board, the matrix and the report hide: a theme's
    people and a group's are both shown, so a count is hidden by row and by column
    (:func:`surveys.groups.hidden_cells`; a person is in one group, so a row adds up to the
    theme's people, and treating a column as adding up is the safe side)."""
    return hidden_cells({(t, g): counts.get(t, {}).get(g, 0) for t in themes for g in groups}, minimum)


def theme_answers(session: Session, theme_id: int, search: str = "", page: int = 1, total: int | None = None):
    """One page of a theme's answers (redacted text only), with the total count (``total``, where
    the caller has it kept: counting a theme of 200,000 answers takes half a second)."""
    query = (select(Answer.id, Answer.text_redacted, Respondent.segment, Answer.safeguarding)
             .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
             .join(Respondent, Respondent.id == Answer.respondent_id)
             .where(ThemeAssignment.theme_id == theme_id))
    if search:
        query = query.where(text_contains(search))
    rows = session.exec(query.order_by(ThemeAssignment.answer_id)
                        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    if total is None:
        # A first page with room to spare holds every match: no second pass over the theme (a
        # search that matches nothing reads every answer once, not twice).
        total = len(rows) if page == 1 and len(rows) <= PAGE_SIZE else \
            session.exec(select(func.count()).select_from(query.subquery())).one()
    return rows[:PAGE_SIZE], total


def theme_segment_matrix(session: Session, run: AnalysisRun, minimum: int, language: str = SOURCE) -> dict:
    """Each top-level theme against each group: people, their share of the group's people with an
    answer in any theme, and a quote, where the count is shown (:func:`theme_groups`)."""
    tally = tallies(session, run)
    themes = top_themes(session, run.id)
    named = group_names(session, run.consultation_id, language)
    table = theme_groups(session, run, minimum, named, tally)
    # A group's people are said in its heading: no total of 1 to minimum - 1, nor one that would
    # give such a total away (``hide_small``), and no share of a total not said.
    totals = hide_small(table.totals, minimum)
    # A cell's quote: its first answer with no redaction placeholder, else its first answer (shown
    # only if it has at most one; :func:`surveys.theme_tally.count_themes`), never one flagged for
    # the safeguarding lead: a possible disclosure is no one's quote.
    firsts = {(t, key): a for t, counts in tally.themes.items() for key, a in counts["firsts"].items()}
    quote_ids = [a for cell, a in firsts.items() if a and cell not in table.hidden]
    quotes = {i: text for i, text in session.exec(select(Answer.id, Answer.text_redacted)
                                                  .where(Answer.id.in_(quote_ids))).all()
              if placeholder_count(text) <= 1} if quote_ids else {}
    segments = [s for s in table.order if table.totals.get(s)]
    rows = []
    for t in themes:
        cells = []
        for s in segments:
            n = table.shown(t.id, s)
            cells.append({"count": n, "shown": n is not None,
                          "share": n / totals[s] if n is not None and totals[s] else None,
                          "quote": quotes.get(firsts.get((t.id, s))) if n else None})
        rows.append({"theme": t, "cells": cells})
    return {"segments": segments, "names": _named(segments, named), "rows": rows, "totals": totals}


def runs_of(session: Session, consultation_id: int) -> list[AnalysisRun]:
    """A consultation's analyses, newest first."""
    return list(session.exec(select(AnalysisRun).where(AnalysisRun.consultation_id == consultation_id)
                             .order_by(AnalysisRun.id.desc())).all())


def finished_runs(session: Session, consultation_id: int) -> list[AnalysisRun]:
    """A consultation's finished analyses, newest first."""
    return list(session.exec(select(AnalysisRun).where(AnalysisRun.consultation_id == consultation_id,
                                                       AnalysisRun.status == "done")
                             .order_by(AnalysisRun.id.desc())).all())


def run_questions(session: Session, run: AnalysisRun) -> list[Question]:
    return list(session.exec(select(Question).where(Question.id.in_(run.question_ids))).all())


def all_themes(session: Session, run_id: int) -> list[Theme]:
    """Every theme and sub-theme of a run, in board order."""
    return list(session.exec(select(Theme).where(Theme.run_id == run_id).order_by(Theme.position)).all())


def subthemes(session: Session, theme_id: int) -> list[Theme]:
    return list(session.exec(select(Theme).where(Theme.parent_id == theme_id).order_by(Theme.position)).all())


def narrower_counts(session: Session, run: AnalysisRun) -> dict | None:
    """What "more, narrower themes" would do (:func:`surveys.theme_edits.narrow`), in numbers the
    board can say without mixing up themes and sub-themes: ``themes`` now, how many of them have
    sub-themes (``parents``), how many sub-themes those have, and how many themes there would be
    after (a theme stays for its answers in none of its sub-themes). None with no sub-themes."""
    top = select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
    subs = dict(session.exec(select(Theme.parent_id, func.count()).where(Theme.parent_id.in_(top))
                             .group_by(Theme.parent_id)).all())
    if not subs:
        return None
    counted = tallies(session, run).themes
    kept = sum(1 for t in subs if counted.get(t, {}).get("loose"))
    themes = len(counted)
    subthemes = sum(subs.values())
    return {"themes": themes, "parents": len(subs), "subthemes": subthemes,
            "after": themes - len(subs) + kept + subthemes}


def subtheme_sizes(session: Session, theme_id: int) -> list[tuple[Theme, int]]:
    """A theme's sub-themes with how many answers each holds."""
    sizes = dict(session.exec(select(ThemeAssignment.subtheme_id, func.count())
                              .where(ThemeAssignment.theme_id == theme_id)
                              .group_by(ThemeAssignment.subtheme_id)).all())
    return [(t, sizes.get(t.id, 0)) for t in subthemes(session, theme_id)]
