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
    detail = {"merged": source.label, "into": target.label, "answers": [a.answer_id for a in moved],
              "snapshot": snapshot(source)}
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


def create_theme(session: Session, run: AnalysisRun, label: str) -> Theme:
    label = " ".join(label.split())
    if not label or len(label) > 200:
        raise EditError("Enter a theme name of 1 to 200 characters.")
    last = session.exec(select(Theme.position).where(Theme.run_id == run.id)
                        .order_by(Theme.position.desc())).first()
    theme = Theme(run_id=run.id, label=label, source="facilitator", position=(last or 0) + 1)
    session.add(theme)
    session.flush()
    return theme


def split_theme(session: Session, run: AnalysisRun, theme_id: int) -> dict:
    """Re-cluster a theme's answers into two; the second group becomes a new theme."""
    from analysis import ThemeModel

    theme = _theme(session, run, theme_id)
    rows = session.exec(select(ThemeAssignment, Answer.text_redacted)
                        .join(Answer, Answer.id == ThemeAssignment.answer_id)
                        .where(ThemeAssignment.theme_id == theme.id)
                        .order_by(ThemeAssignment.answer_id)).all()
    if len(rows) < 6:
        raise EditError("A theme needs at least 6 answers to be split.")
    model = ThemeModel(n_themes=2, random_state=0, subthemes=False, redact=False, min_theme_size=1)
    model.fit([text for _, text in rows])
    if len(model.themes_) < 2:
        raise EditError("These answers are too alike to split.")
    new = model.themes_[1]
    created = Theme(run_id=run.id, label=new.label[:200], keywords=list(new.keywords),
                    quotes=list(new.quotes), sentiment=new.sentiment, position=theme.position,
                    source="facilitator")
    session.add(created)
    session.flush()
    moved = []
    for (assignment, _), label in zip(rows, model.labels_, strict=True):
        if label == 1:
            assignment.theme_id, assignment.source = created.id, "facilitator"
            session.add(assignment)
            moved.append(assignment.answer_id)
    return {"theme": created.id, "label": created.label, "answers": moved, "from": theme.id}


def snapshot(theme: Theme) -> dict:
    return {"label": theme.label, "description": theme.description, "keywords": theme.keywords,
            "quotes": theme.quotes, "sentiment": theme.sentiment, "position": theme.position,
            "reviewed": theme.reviewed, "source": theme.source}


def _move_back(session: Session, run: AnalysisRun, answer_ids: list[int], theme_id: int) -> None:
    for a in session.exec(select(ThemeAssignment).where(ThemeAssignment.run_id == run.id,
                                                        ThemeAssignment.answer_id.in_(answer_ids))):
        a.theme_id = theme_id
        session.add(a)


def undo(session: Session, run: AnalysisRun, action: str, object_id: str, detail: dict) -> None:
    """Reverse one recorded edit (the view finds the latest one not yet undone)."""
    if action == "theme.rename":
        theme = _theme(session, run, int(object_id))
        theme.label, theme.description = detail["before"]["label"], detail["before"]["description"]
        session.add(theme)
    elif action == "theme.review":
        theme = _theme(session, run, int(object_id))
        theme.reviewed = not detail["reviewed"]
        session.add(theme)
    elif action == "theme.move_answer":
        _theme(session, run, detail["from"])
        _move_back(session, run, [detail["answer"]], detail["from"])
    elif action == "theme.merge":
        restored = Theme(run_id=run.id, **detail["snapshot"])
        session.add(restored)
        session.flush()
        _move_back(session, run, detail["answers"], restored.id)
    elif action == "theme.split":
        _move_back(session, run, detail["answers"], detail["from"])
        session.exec(delete(Theme).where(Theme.id == detail["theme"]))
    elif action == "theme.create":
        if session.exec(select(ThemeAssignment).where(ThemeAssignment.theme_id == int(object_id))).first():
            raise EditError("Move this theme's answers out before undoing its creation.")
        session.exec(delete(Theme).where(Theme.id == int(object_id)))
    else:
        raise EditError("That change cannot be undone.")


def update_with_new_answers(session: Session, run: AnalysisRun) -> int:
    """Place answers that arrived after the run into its themes (as edited). Returns how many."""
    from analysis.place import place

    texts = gather_texts(session, run)
    assigned = dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                                 .where(ThemeAssignment.run_id == run.id)).all())
    placed_ids = set(session.exec(select(ThemeAssignment.answer_id)
                                  .where(ThemeAssignment.run_id == run.id)).all())
    known = set(run.metrics.get("answer_ids", [])) | placed_ids
    new = [t for t in texts if t.answer_id not in known]
    if not new:
        return 0
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.position)).all()
    by_id = {t.answer_id: t.text for t in texts}
    groups = [[by_id[a] for a, th in assigned.items() if th == theme.id and a in by_id] for theme in themes]
    labels, scores = place(groups, [t.text for t in new])
    count = 0
    for text, label, score in zip(new, labels, scores, strict=True):
        if label >= 0:
            session.add(ThemeAssignment(run_id=run.id, theme_id=themes[label].id,
                                        answer_id=text.answer_id, score=float(score)))
            count += 1
    run.metrics = {**run.metrics, "answers": len(texts),
                   "answer_ids": sorted(known | {t.answer_id for t in new}),
                   "placed": run.metrics.get("placed", 0) + count}
    session.add(run)
    return count
