"""Theme analysis runs in the domain: what texts a run covers, and storing its results whole.

Operations add and flush; callers commit. Results are written in one transaction together with
the run's "done" status, so half-written themes are never visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from .models import AnalysisRun, Answer, Consultation, Question, Respondent, Theme, ThemeAssignment, utcnow
from .theme_edits import log_placed

MIN_TEXTS = 5
#: A run still queued or running this long after it started has died with its process (an RQ job
#: times out after an hour); it is shown as failed so that it can be tried again.
STALE_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class RunText:
    answer_id: int
    text: str
    segment: str | None
    position: int | None


def analysable_questions(session: Session, consultation: Consultation) -> list[Question]:
    """Text questions, and trade-off questions that ask "Why?"."""
    qs = session.exec(select(Question).where(Question.consultation_id == consultation.id)
                      .order_by(Question.page_id, Question.position)).all()
    return [q for q in qs if q.type == "text" or (q.type == "tradeoff" and q.config.get("ask_reason"))]


def start_run(session: Session, consultation: Consultation, question_ids: list[int],
              params: dict, user_id: int | None) -> AnalysisRun:
    run = AnalysisRun(consultation_id=consultation.id, question_ids=sorted(question_ids),
                      params=params, created_by=user_id, status="queued", step="Waiting to start")
    session.add(run)
    session.flush()
    return run


def gather_texts(session: Session, run: AnalysisRun) -> list[RunText]:
    """Redacted free text of submitted responses to the run's questions, in a stable order."""
    rows = session.exec(
        select(Answer.id, Answer.text_redacted, Answer.value, Question.type, Respondent.segment)
        .join(Question, Question.id == Answer.question_id)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Answer.question_id.in_(run.question_ids), Respondent.submitted_at.is_not(None),
               Answer.text_redacted.is_not(None))
        .order_by(Answer.id)).all()
    return [RunText(aid, text, segment, value if qtype == "tradeoff" else None)
            for aid, text, value, qtype, segment in rows]


def set_progress(session: Session, run: AnalysisRun, step: str, fraction: float) -> None:
    run.status = "running"
    run.step = step[:120]
    run.progress = max(0.0, min(1.0, float(fraction)))
    session.add(run)


def store_results(session: Session, run: AnalysisRun, texts: list[RunText], model) -> None:
    """Write themes (and sub-themes) and one assignment per placed answer; mark the run done."""
    session.exec(delete(ThemeAssignment).where(ThemeAssignment.run_id == run.id))
    session.exec(delete(Theme).where(Theme.run_id == run.id))
    ids: dict[int, int] = {}
    for position, t in enumerate(model.themes_):
        theme = Theme(run_id=run.id, label=t.label[:200], keywords=list(t.keywords),
                      quotes=list(t.quotes), sentiment=t.sentiment, position=position)
        session.add(theme)
        session.flush()
        ids[t.id] = theme.id
        for sub_pos, sub in enumerate(t.subthemes):
            session.add(Theme(run_id=run.id, parent_id=theme.id, label=sub.label[:200],
                              keywords=list(sub.keywords), quotes=list(sub.quotes),
                              sentiment=sub.sentiment, position=sub_pos))
    scores = model.scores_ if hasattr(model, "scores_") else None
    session.add_all(
        ThemeAssignment(run_id=run.id, theme_id=ids[int(label)], answer_id=text.answer_id,
                        score=None if scores is None else float(scores[i]))
        for i, (text, label) in enumerate(zip(texts, model.labels_, strict=True)) if label >= 0)
    run.status, run.step, run.progress = "done", "Finished", 1.0
    run.finished_at = utcnow()
    run.metrics = {"answers": len(texts), "themes": len(model.themes_),
                   "placed": int((model.labels_ >= 0).sum()),
                   "answer_ids": [t.answer_id for t in texts]}
    session.add(run)
    session.flush()


def fail(session: Session, run: AnalysisRun, message: str) -> None:
    run.status, run.error, run.finished_at = "failed", message[:2000], utcnow()
    session.add(run)


def fail_if_stale(session: Session, run: AnalysisRun) -> None:
    if run.status in {"queued", "running"} and utcnow() - run.created_at > STALE_AFTER:
        fail(session, run, "This analysis stopped without finishing, perhaps because the server "
                           "restarted. Try it again.")


def update_with_new_answers(session: Session, run: AnalysisRun, user_id: int | None = None) -> int:
    """Place answers that arrived after the run into its themes (as edited). Returns how many.

    The update is logged like an edit, so undo takes the new placings out again."""
    from analysis.place import place

    texts = gather_texts(session, run)
    assigned = dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                                 .where(ThemeAssignment.run_id == run.id)).all())
    placed_ids = set(session.exec(select(ThemeAssignment.answer_id)
                                  .where(ThemeAssignment.run_id == run.id)).all())
    metrics_before = dict(run.metrics)
    known = set(run.metrics.get("answer_ids", [])) | placed_ids
    new = [t for t in texts if t.answer_id not in known]
    if not new:
        return 0
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.position)).all()
    by_id = {t.answer_id: t.text for t in texts}
    groups = [[by_id[a] for a, th in assigned.items() if th == theme.id and a in by_id] for theme in themes]
    labels, scores = place(groups, [t.text for t in new])
    added = [ThemeAssignment(run_id=run.id, theme_id=themes[label].id, answer_id=text.answer_id,
                             score=float(score))
             for text, label, score in zip(new, labels, scores, strict=True) if label >= 0]
    session.add_all(added)
    session.flush()
    count = len(added)
    if added:
        log_placed(session, run, [a.id for a in added], metrics_before, user_id=user_id)
    run.metrics = {**run.metrics, "answers": len(texts),
                   "answer_ids": sorted(known | {t.answer_id for t in new}),
                   "placed": run.metrics.get("placed", 0) + count}
    session.add(run)
    return count
