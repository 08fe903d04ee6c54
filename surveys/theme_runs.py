"""Theme analysis runs in the domain: what texts a run covers, and storing its results whole.

Operations add and flush; callers commit. Results are written in one transaction together with
the run's "done" status, so half-written themes are never visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, func, select

from .models import (
    AnalysisRun,
    Answer,
    Consultation,
    EvaluationCode,
    Question,
    Respondent,
    Theme,
    ThemeAssignment,
    ThemeEdit,
    utcnow,
)
from .theme_edits import log_placed
from .types import get_type

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
    return [q for q in qs if get_type(q.type).analysed(q)]


def start_run(session: Session, consultation: Consultation, question_ids: list[int],
              params: dict, user_id: int | None) -> AnalysisRun:
    run = AnalysisRun(consultation_id=consultation.id, question_ids=sorted(question_ids),
                      params=params, created_by=user_id, status="queued", step="Waiting to start")
    session.add(run)
    session.flush()
    return run


def _reason_position(type_name: str, value) -> int | None:
    """Where the answer a written reason explains stands on its scale: only for a type whose text
    is a reason, and only a whole-number position (a trade-off's "I don't know" has none)."""
    t = get_type(type_name)
    position = t.position(value) if t.text_is_reason else None
    return position if isinstance(position, int) and not isinstance(position, bool) else None


def gather_texts(session: Session, run: AnalysisRun) -> list[RunText]:
    """Redacted free text of submitted responses to the run's questions, in a stable order."""
    rows = session.exec(
        select(Answer.id, Answer.text_redacted, Answer.value, Question.type, Respondent.segment)
        .join(Question, Question.id == Answer.question_id)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Answer.question_id.in_(run.question_ids), Respondent.submitted_at.is_not(None),
               Answer.text_redacted.is_not(None))
        .order_by(Answer.id)).all()
    return [RunText(aid, text, segment, _reason_position(qtype, value))
            for aid, text, value, qtype, segment in rows]


def set_progress(session: Session, run: AnalysisRun, step: str, fraction: float) -> None:
    run.status = "running"
    run.step = step[:120]
    run.progress = max(0.0, min(1.0, float(fraction)))
    session.add(run)


def quote_ids(quotes, answer_ids: list[int], texts: list[str]) -> list[int]:
    """The answers a theme quotes, by id. The engine names a quote by its row (or, in older
    versions, by its text, matched here to the first answer that says it)."""
    first: dict[str, int] = {}
    for answer_id, text in zip(answer_ids, texts, strict=True):
        first.setdefault(text, answer_id)
    out = []
    for q in quotes:
        found = first.get(q) if isinstance(q, str) else answer_ids[int(q)]
        if found is not None and found not in out:
            out.append(found)
    return out


def quote_texts(session: Session, themes) -> dict[int, list[str]]:
    """Each theme's quotes as the quoted answers' current redacted text, by theme id. An answer
    withdrawn or purged since is simply not there."""
    wanted = {int(i) for t in themes for i in t.quote_ids}
    texts = dict(session.exec(
        select(Answer.id, Answer.text_redacted).join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Answer.id.in_(wanted), Respondent.submitted_at.is_not(None),
               Answer.text_redacted.is_not(None))).all()) if wanted else {}
    return {t.id: [texts[int(i)] for i in t.quote_ids if int(i) in texts] for t in themes}


SENTIMENT_CLASSES = ("negative", "mixed", "positive")


def _from_scores(scores) -> list[str | None]:
    """Classes from scores in [-1, 1] (the engine's older output): a small band either side of 0
    is mixed."""
    return [None if s is None or s != s else "positive" if s > 0.05 else "negative" if s < -0.05
            else "mixed" for s in scores]


def model_sentiment(model) -> list[str | None]:
    """Each fitted answer's sentiment class, from the engine's classes where it gives them."""
    classes = getattr(model, "sentiment_class_", None)
    if classes is not None:
        return [SENTIMENT_CLASSES[int(c)] if 0 <= int(c) < 3 else None for c in classes]
    scores = getattr(model, "sentiment_", None)
    return [None] * len(model.labels_) if scores is None else _from_scores([float(s) for s in scores])


def text_sentiment(texts: list[str]) -> list[str | None]:
    """Sentiment classes of new answers, by the engine's own rule."""
    try:
        from analysis.sentiment import sentiment_classes
    except ImportError:  # an engine without classes: its scores, as above
        from analysis.sentiment import sentiment_scores

        return _from_scores(list(sentiment_scores(texts)))
    return list(sentiment_classes(texts))


def sentiment_shares(session: Session, theme_ids) -> dict[int, dict]:
    """Per theme, the share of its scored answers that are negative, mixed and positive."""
    rows = session.exec(select(ThemeAssignment.theme_id, ThemeAssignment.sentiment, func.count())
                        .where(ThemeAssignment.theme_id.in_(list(theme_ids)),
                               ThemeAssignment.sentiment.is_not(None))
                        .group_by(ThemeAssignment.theme_id, ThemeAssignment.sentiment)).all()
    counts: dict[int, dict[str, int]] = {}
    for theme_id, feeling, n in rows:
        counts.setdefault(theme_id, {})[feeling] = n
    return {t: {c: by.get(c, 0) / sum(by.values()) for c in SENTIMENT_CLASSES}
            for t, by in counts.items() if sum(by.values())}


def feeling_text(shares: dict | None) -> str:
    """"62% negative, 25% mixed, 13% positive" (empty when nothing was scored)."""
    if not shares:
        return ""
    return ", ".join(f"{round(100 * shares[c])}% {c}" for c in SENTIMENT_CLASSES)


def store_results(session: Session, run: AnalysisRun, texts: list[RunText], model) -> None:
    """Write themes (and sub-themes) and one assignment per placed answer; mark the run done."""
    session.exec(delete(ThemeAssignment).where(ThemeAssignment.run_id == run.id))
    session.exec(delete(Theme).where(Theme.run_id == run.id))
    # An answer withdrawn while the model ran is left out: nothing of it is stored.
    present = set(session.exec(select(Answer.id).where(Answer.question_id.in_(run.question_ids))).all())
    answer_ids, words = [t.answer_id for t in texts], [t.text for t in texts]

    def quoted(quotes) -> list[int]:
        return [a for a in quote_ids(quotes, answer_ids, words) if a in present]

    ids: dict[int, int] = {}
    sub_ids: dict[tuple[int, int], int] = {}
    for position, t in enumerate(model.themes_):
        theme = Theme(run_id=run.id, label=t.label[:200], keywords=list(t.keywords),
                      quote_ids=quoted(t.quotes), sentiment=t.sentiment, position=position)
        session.add(theme)
        session.flush()
        ids[t.id] = theme.id
        for sub_pos, sub in enumerate(t.subthemes):
            row = Theme(run_id=run.id, parent_id=theme.id, label=sub.label[:200],
                        keywords=list(sub.keywords), quote_ids=quoted(sub.quotes),
                        sentiment=sub.sentiment, position=sub_pos)
            session.add(row)
            session.flush()
            sub_ids[(t.id, sub.id)] = row.id
    scores = getattr(model, "scores_", None)
    subs = getattr(model, "sublabels_", None)
    feelings = model_sentiment(model)
    session.add_all(
        ThemeAssignment(run_id=run.id, theme_id=ids[int(label)], answer_id=text.answer_id,
                        subtheme_id=None if subs is None else sub_ids.get((int(label), int(subs[i]))),
                        score=None if scores is None else float(scores[i]), sentiment=feelings[i])
        for i, (text, label) in enumerate(zip(texts, model.labels_, strict=True))
        if label >= 0 and text.answer_id in present)
    run.status, run.step, run.progress = "done", "Finished", 1.0
    run.finished_at = utcnow()
    kept = [i for i, t in enumerate(texts) if t.answer_id in present]
    run.metrics = {"answers": len(kept), "themes": len(model.themes_),
                   "placed": int((model.labels_[kept] >= 0).sum()) if kept else 0,
                   "answer_ids": [texts[i].answer_id for i in kept]}
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
    feelings = text_sentiment([t.text for t in new])
    added = [ThemeAssignment(run_id=run.id, theme_id=themes[label].id, answer_id=text.answer_id,
                             score=float(score), sentiment=feeling)
             for text, label, score, feeling in zip(new, labels, scores, feelings, strict=True)
             if label >= 0]
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


def forget_respondents(session: Session, respondents) -> int:
    """Take these people's words out of every theme analysis, before their answers are deleted.

    ``respondents`` is a list of respondent ids or a ``select`` of them (purge passes one for a
    whole consultation). Their answers leave every run's placings, blind-check sample, quotes (of
    themes and sub-themes), stored answer list and edit log, so nothing a run shows or exports
    afterwards can hold their words. Counts on each run are brought up to date. Returns how many
    answers were forgotten. Flushes; the caller deletes the answers and commits.
    """
    who = respondents if hasattr(respondents, "subquery") else list(respondents)
    rows = session.exec(select(Answer.id, Respondent.consultation_id)
                        .join(Respondent, Respondent.id == Answer.respondent_id)
                        .where(Answer.respondent_id.in_(who))).all()
    gone = {a for a, _ in rows}
    if not gone:
        return 0
    answers = select(Answer.id).where(Answer.respondent_id.in_(who))
    session.exec(delete(EvaluationCode).where(EvaluationCode.answer_id.in_(answers)))
    session.exec(delete(ThemeAssignment).where(ThemeAssignment.answer_id.in_(answers)))
    runs = session.exec(select(AnalysisRun).where(
        AnalysisRun.consultation_id.in_({c for _, c in rows}))).all()
    for run in runs:
        _forget_in_run(session, run, gone)
    session.flush()
    return len(gone)


def _forget_in_run(session: Session, run: AnalysisRun, gone: set[int]) -> None:
    for theme in session.exec(select(Theme).where(Theme.run_id == run.id)):
        if any(int(i) in gone for i in theme.quote_ids):
            theme.quote_ids = [i for i in theme.quote_ids if int(i) not in gone]
            session.add(theme)
    for edit in session.exec(select(ThemeEdit).where(ThemeEdit.run_id == run.id)):
        before = edit.before
        kept = [a for a in before.get("assignments", []) if a["answer_id"] not in gone]
        themes = [{**t, "quote_ids": [i for i in t.get("quote_ids", []) if int(i) not in gone]}
                  for t in before.get("themes", [])]
        if kept != before.get("assignments", []) or themes != before.get("themes", []):
            edit.before = {**before, "assignments": kept, "themes": themes}
            session.add(edit)
    stored = run.metrics.get("answer_ids", [])
    if any(a in gone for a in stored):
        session.flush()
        placed = session.exec(select(func.count()).select_from(ThemeAssignment)
                              .where(ThemeAssignment.run_id == run.id)).one()
        kept_ids = [a for a in stored if a not in gone]
        run.metrics = {**run.metrics, "answer_ids": kept_ids, "answers": len(kept_ids), "placed": placed}
        session.add(run)
