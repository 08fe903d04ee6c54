"""What the theme board shows: themes with their sizes, groups, quotes and stance, a theme's answers,
the theme × group matrix, and the lists the board's forms choose from. Aggregated in SQL."""

from __future__ import annotations

from sqlalchemy import case
from sqlmodel import Session, func, select

from analysis.redact import placeholder_count
from surveys.groups import fallback_name, hidden_cells, segment_groups
from surveys.models import AnalysisRun, Answer, Consultation, Question, Respondent, Theme, ThemeAssignment
from surveys.theme_edits import top_themes  # noqa: F401  (lives with the edits, which need it)
from surveys.theme_runs import feeling_text, quote_texts, sentiment_shares
from surveys.theme_stance import theme_stances
from surveys.translations import SOURCE, localise_question
from surveys.wording import N_, gettext
from surveys.written_answers import text_contains

PAGE_SIZE = 25
NOT_SAID = "not said"
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



def board(session: Session, run_id: int, minimum: int = 1, language: str = SOURCE) -> list[dict]:
    """Top-level themes with size, counts per segment, quotes and where their people stand.

    ``segments`` counts by group key; ``groups`` gives the same counts named (by the segment
    question's labels, in ``language``) and in the question's order, "Not said" last, each
    ``shown`` or not (:func:`theme_groups_hidden`, as in the matrix and the report)."""
    themes = top_themes(session, run_id)
    counts = session.exec(
        select(ThemeAssignment.theme_id, Respondent.segment, func.count())
        .join(Answer, Answer.id == ThemeAssignment.answer_id)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(ThemeAssignment.run_id == run_id)
        .group_by(ThemeAssignment.theme_id, Respondent.segment)).all()
    by_theme: dict[int, dict] = {}
    for theme_id, segment, n in counts:
        by_theme.setdefault(theme_id, {})[segment or NOT_SAID] = n
    # One person can have several answers in a theme (to each question analysed), so the board
    # says how many people the answers are from as well.
    people = dict(session.exec(
        select(ThemeAssignment.theme_id, func.count(Answer.respondent_id.distinct()))
        .join(Answer, Answer.id == ThemeAssignment.answer_id)
        .where(ThemeAssignment.run_id == run_id)
        .group_by(ThemeAssignment.theme_id)).all())
    quotes = quote_texts(session, themes)
    feelings = sentiment_shares(session, [t.id for t in themes])
    run = session.get(AnalysisRun, run_id)
    stances = theme_stances(session, run, minimum, language)
    named = group_names(session, run.consultation_id, language)
    seen = {k for counts in by_theme.values() for k in counts}
    order = [k for k in named if k in seen] + sorted(seen - set(named) - {NOT_SAID}) + (
        [NOT_SAID] if NOT_SAID in seen else [])
    names = _named(order, named)
    hidden = theme_groups_hidden(by_theme, [t.id for t in themes], order, minimum)

    def groups(theme_id: int, counts: dict) -> list[dict]:
        # A hidden 0 is listed too: leaving it out would say that it is 0.
        return [{"key": k, "name": names[k], "count": counts.get(k, 0), "shown": (theme_id, k) not in hidden}
                for k in order if counts.get(k) or (theme_id, k) in hidden]

    out = [{"theme": t, "segments": by_theme.get(t.id, {}), "groups": groups(t.id, by_theme.get(t.id, {})),
            "size": sum(by_theme.get(t.id, {}).values()), "people": people.get(t.id, 0),
            "quotes": quotes[t.id], "stance": (stances.get(t.id) or [None])[0],
            "feeling": feeling_text(feelings.get(t.id))}
           for t in themes]
    return sorted(out, key=lambda r: -r["size"])


def theme_groups_hidden(counts: dict[int, dict[str, int]], themes: list[int], groups: list[str],
                        minimum: int) -> set[tuple[int, str]]:
    """The (theme, group) counts the board, the matrix and the report hide: a theme's size and a
    group's total are both shown, so a count is hidden by row and by column
    (:func:`surveys.groups.hidden_cells`)."""
    return hidden_cells({(t, g): counts.get(t, {}).get(g, 0) for t in themes for g in groups}, minimum)


def theme_answers(session: Session, theme_id: int, search: str = "", page: int = 1):
    """One page of a theme's answers (redacted text only), with the total count."""
    query = (select(Answer.id, Answer.text_redacted, Respondent.segment, Answer.safeguarding)
             .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
             .join(Respondent, Respondent.id == Answer.respondent_id)
             .where(ThemeAssignment.theme_id == theme_id))
    if search:
        query = query.where(text_contains(search))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Answer.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return rows, total


def theme_segment_matrix(session: Session, run: AnalysisRun, minimum: int, language: str = SOURCE) -> dict:
    """Each top-level theme against each group: counts, shares and a quote where the group is big enough."""
    themes = top_themes(session, run.id)
    # A cell's quote: its first answer with no redaction placeholder, else its first answer (shown
    # only if it has at most one), as the board's own quotes are chosen. Never an answer flagged
    # for the safeguarding lead: a possible disclosure is no one's quote.
    quotable = case((Answer.safeguarding, None), else_=Answer.id)
    clean = case((Answer.safeguarding | Answer.text_redacted.contains("["), None), else_=Answer.id)
    rows = session.exec(
        select(ThemeAssignment.theme_id, Respondent.segment, func.count(),
               func.coalesce(func.min(clean), func.min(quotable)))
        .join(Answer, Answer.id == ThemeAssignment.answer_id)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(ThemeAssignment.run_id == run.id)
        .group_by(ThemeAssignment.theme_id, Respondent.segment)).all()
    cells = {(t, seg or NOT_SAID): (n, first) for t, seg, n, first in rows}
    # The segment question's groups in its order (any keys), then any others seen, "not said" last.
    named = group_names(session, run.consultation_id, language)
    seen = {s for _, s in cells}
    segments = list(named) + sorted(seen - set(named) - {NOT_SAID}) + [NOT_SAID]
    names = _named(segments, named)
    totals = {s: sum(n for (_, seg), (n, _) in cells.items() if seg == s) for s in segments}
    counts = {t.id: {s: cells.get((t.id, s), (0, None))[0] for s in segments} for t in themes}
    hidden = theme_groups_hidden(counts, [t.id for t in themes], segments, minimum)
    quote_ids = [first for (t, s), (n, first) in cells.items() if n and (t, s) not in hidden]
    quotes = {i: text for i, text in session.exec(select(Answer.id, Answer.text_redacted)
                                                  .where(Answer.id.in_(quote_ids))).all()
              if placeholder_count(text) <= 1} if quote_ids else {}
    table = []
    for t in themes:
        row = []
        for s in segments:
            n, first = cells.get((t.id, s), (0, None))
            shown = (t.id, s) not in hidden
            row.append({"count": n, "shown": shown,
                        "share": (n / totals[s]) if shown and totals[s] else None,
                        "quote": quotes.get(first) if shown else None})
        table.append({"theme": t, "cells": row})
    return {"segments": [s for s in segments if totals[s]], "names": names, "rows": table, "totals": totals,
            "keep": [i for i, s in enumerate(segments) if totals[s]]}


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


def narrower_counts(session: Session, run_id: int) -> dict | None:
    """What "more, narrower themes" would do (:func:`surveys.theme_edits.narrow`), in numbers the
    board can say without mixing up themes and sub-themes: ``themes`` now, how many of them have
    sub-themes (``parents``), how many sub-themes those have, and how many themes there would be
    after (a theme stays for its answers in none of its sub-themes). None with no sub-themes."""
    top = select(Theme.id).where(Theme.run_id == run_id, Theme.parent_id.is_(None))
    subs = dict(session.exec(select(Theme.parent_id, func.count()).where(Theme.parent_id.in_(top))
                             .group_by(Theme.parent_id)).all())
    if not subs:
        return None
    kept = session.exec(select(func.count(ThemeAssignment.theme_id.distinct()))
                        .where(ThemeAssignment.run_id == run_id, ThemeAssignment.theme_id.in_(subs),
                               ThemeAssignment.subtheme_id.is_(None))).one()
    themes = session.exec(select(func.count()).select_from(top.subquery())).one()
    subthemes = sum(subs.values())
    return {"themes": themes, "parents": len(subs), "subthemes": subthemes,
            "after": themes - len(subs) + kept + subthemes}


def subtheme_sizes(session: Session, theme_id: int) -> list[tuple[Theme, int]]:
    """A theme's sub-themes with how many answers each holds."""
    sizes = dict(session.exec(select(ThemeAssignment.subtheme_id, func.count())
                              .where(ThemeAssignment.theme_id == theme_id)
                              .group_by(ThemeAssignment.subtheme_id)).all())
    return [(t, sizes.get(t.id, 0)) for t in subthemes(session, theme_id)]
