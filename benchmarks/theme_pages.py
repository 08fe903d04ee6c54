"""A theme run over every written answer, bulk-inserted, for the workspace benchmark at scale.

A real analysis of half a million answers takes minutes; the theme pages' speed depends on the
rows, not on how they were found. So :func:`add_run` writes a finished run as the engine would
leave it: top-level themes with two sub-themes each, every written answer placed in one (a few
left in no theme), with a score and a feeling, and quotes; and then counts what the theme pages
show, as a finished analysis does in the background (``surveys.theme_tally``).
"""

from __future__ import annotations

import random
import time

from sqlalchemy import insert, select
from sqlmodel import Session

from surveys import theme_runs, theme_tally
from surveys.models import AnalysisRun, Answer, Theme, ThemeAssignment, utcnow

THEMES = 25
FEELINGS = ("positive", "mixed", "negative", None)


def add_run(session: Session, consultation_id: int, question_ids: list[int], seed: int = 7,
            batch: int = 20_000) -> AnalysisRun:
    rng = random.Random(seed)
    run = AnalysisRun(consultation_id=consultation_id, question_ids=question_ids, status="done",
                      progress=1.0, step="Done", finished_at=utcnow())
    session.add(run)
    session.flush()
    tops = []
    for i in range(THEMES):
        top = Theme(run_id=run.id, label=f"Theme number {i + 1}", keywords=["record", "wait"], position=i)
        session.add(top)
        session.flush()
        subs = []
        for j in range(2):
            sub = Theme(run_id=run.id, parent_id=top.id, label=f"Theme {i + 1}, part {j + 1}", position=j)
            session.add(sub)
            subs.append(sub)
        session.flush()
        tops.append((top, subs))
    answers = session.execute(select(Answer.id).where(Answer.question_id.in_(question_ids),
                                                      Answer.text_redacted.is_not(None))
                              .order_by(Answer.id)).scalars().all()
    quotes = {top.id: [] for top, _ in tops}
    rows, placed = [], 0
    # Theme sizes fall off as real themes do: the first is largest.
    weights = [1 / (i + 2) for i in range(THEMES)]
    for answer_id in answers:
        if rng.random() < 0.02:
            continue  # in no theme
        placed += 1
        top, subs = rng.choices(tops, weights)[0]
        if len(quotes[top.id]) < 5:
            quotes[top.id].append(answer_id)
        rows.append({"run_id": run.id, "theme_id": top.id, "answer_id": answer_id,
                     "subtheme_id": rng.choice(subs).id, "score": rng.random(), "source": "auto",
                     "sentiment": rng.choice(FEELINGS)})
        if len(rows) >= batch:
            session.execute(insert(ThemeAssignment), rows)
            rows = []
    if rows:
        session.execute(insert(ThemeAssignment), rows)
    for top, _ in tops:
        top.quote_ids = quotes[top.id]
        session.add(top)
    ids = [top.id for top, _ in tops]
    # As a finished run keeps them (surveys.theme_runs): every answer it read, and how the themes
    # join into broader ones, smallest first.
    theme_runs.see(session, run, list(answers))
    run.metrics = {"answers": len(answers), "themes": THEMES, "placed": placed,
                   "theme_tree": [[ids[0], ids[i]] for i in range(THEMES - 1, 0, -1)]}
    session.add(run)
    session.flush()
    started = time.perf_counter()
    theme_tally.count_all(session, run)
    print(f"Counted the theme pages' figures for {placed:,} placed answers in "
          f"{time.perf_counter() - started:.1f} s (once, when an analysis finishes)")
    return run
