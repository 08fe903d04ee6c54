"""Theme analysis runs in the domain: what texts a run covers, and storing its results whole.

Operations add and flush; callers commit. Results are written in one transaction together with
the run's "done" status, so half-written themes are never visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, select

from .models import AnalysisRun, Answer, Consultation, Question, Respondent, Theme, ThemeAssignment, utcnow

MIN_TEXTS = 5


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
                   "placed": int((model.labels_ >= 0).sum())}
    session.add(run)
    session.flush()


def fail(session: Session, run: AnalysisRun, message: str) -> None:
    run.status, run.error, run.finished_at = "failed", message[:2000], utcnow()
    session.add(run)


class EditError(ValueError):
    """A theme edit that cannot be made; the message is shown to the facilitator."""


def _theme(session: Session, run: AnalysisRun, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None or theme.run_id != run.id:
        raise EditError("That theme is not part of this analysis.")
    return theme


def rename_theme(session: Session, run: AnalysisRun, theme_id: int, label: str,
                 description: str = "") -> dict:
    """Rename and describe a theme. Returns what it was, for the audit trail (and undo)."""
    label = " ".join(label.split())
    if not label or len(label) > 200:
        raise EditError("Enter a theme name of 1 to 200 characters.")
    theme = _theme(session, run, theme_id)
    before = {"label": theme.label, "description": theme.description}
    theme.label, theme.description = label, description.strip()[:2000]
    theme.source = "facilitator" if theme.source == "auto" else theme.source
    session.add(theme)
    return before


def merge_themes(session: Session, run: AnalysisRun, source_id: int, target_id: int) -> dict:
    """Move every answer of ``source`` into ``target`` and remove ``source``."""
    if source_id == target_id:
        raise EditError("Choose a different theme to merge with.")
    source, target = _theme(session, run, source_id), _theme(session, run, target_id)
    moved = session.exec(select(ThemeAssignment).where(ThemeAssignment.theme_id == source.id)).all()
    for a in moved:
        a.theme_id, a.source = target.id, "facilitator"
        session.add(a)
    target.keywords = list(dict.fromkeys(target.keywords + source.keywords))[:12]
    target.quotes = (target.quotes + source.quotes)[:5]
    session.add(target)
    session.flush()
    detail = {"merged": source.label, "into": target.label, "answers": [a.answer_id for a in moved]}
    # Sub-themes of the merged theme go with it (bulk delete: no reliance on FK cascades).
    session.exec(delete(Theme).where(Theme.parent_id == source.id))
    session.exec(delete(Theme).where(Theme.id == source.id))
    return detail


def move_answer(session: Session, run: AnalysisRun, answer_id: int, target_id: int) -> dict:
    target = _theme(session, run, target_id)
    assignment = session.exec(select(ThemeAssignment).where(
        ThemeAssignment.run_id == run.id, ThemeAssignment.answer_id == answer_id)).first()
    if assignment is None:
        raise EditError("That answer is not part of this analysis.")
    before = assignment.theme_id
    assignment.theme_id, assignment.source = target.id, "facilitator"
    session.add(assignment)
    return {"answer": answer_id, "from": before, "to": target.id}


def set_reviewed(session: Session, run: AnalysisRun, theme_id: int, reviewed: bool) -> dict:
    theme = _theme(session, run, theme_id)
    theme.reviewed = reviewed
    session.add(theme)
    return {"reviewed": reviewed}
