"""Theme analysis runs in the domain: what texts a run covers, and storing its results whole.

Operations add and flush; callers commit. Results are written in one transaction together with
the run's "done" status, so half-written themes are never visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, func, select

from . import theme_tally
from .models import (
    AnalysisRun,
    Answer,
    AuditEvent,
    Consultation,
    EvaluationCode,
    Question,
    Respondent,
    RunAnswer,
    RunModel,
    Theme,
    ThemeAssignment,
    ThemeEdit,
    utcnow,
)
from .redaction import RULES, RULES_KEY
from .theme_edits import (
    EditError,
    example_texts,
    keep_keywords_still_used,
    log_placed,
    quote_choice,
    unique_label,
)
from .theme_edits import words_of as _words
from .types import get_type
from .wording import N_, english, gettext, ngettext, said, say

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


#: The steps an analysis reports: its own and the theme model's. A run keeps a step's English (its
#: msgid) and the progress page translates it when shown (:func:`step_name`).
STEPS = (N_("Waiting to start"), N_("Collecting answers"), N_("Removing personal details"),
         N_("Finding words and phrases"),
         N_("Grouping answers into themes"), N_("Splitting broad themes"),
         N_("Placing the remaining answers"), N_("Scoring sentiment"),
         N_("Labelling themes and choosing quotes"), N_("Done"), N_("Saving themes"), N_("Finished"))


def step_name(run: AnalysisRun) -> str:
    """The step the run is at, in the reader's language ("" before it starts)."""
    return gettext(run.step) if run.step else ""


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
    withdrawn or purged since is simply not there, nor one flagged for the safeguarding lead: the
    analysis picks quotes from the words alone, and a possible disclosure is never quoted (this is
    the one place every run's quotes are read, whenever the run chose them)."""
    wanted = {int(i) for t in themes for i in t.quote_ids}
    texts = dict(session.exec(
        select(Answer.id, Answer.text_redacted).join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Answer.id.in_(wanted), Respondent.submitted_at.is_not(None),
               Answer.text_redacted.is_not(None), Answer.safeguarding.is_(False))).all()) if wanted else {}
    return {t.id: [texts[int(i)] for i in t.quote_ids if int(i) in texts] for t in themes}


SENTIMENT_CLASSES = ("negative", "mixed", "positive")
#: How each class of feeling is said (in the language being served).
FEELING_WORDS = {"negative": N_("negative"), "mixed": N_("mixed"), "positive": N_("positive")}


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


#: In a theme's shares: how many of its answers have no sentiment (written in Welsh: the engine's
#: sentiment model knows English only, and says nothing rather than something wrong).
NOT_SCORED = "not scored"


def sentiment_shares(session: Session, theme_ids) -> dict[int, dict]:
    """Per theme, the share of its scored answers that are negative, mixed and positive, and the
    number of its answers not scored (:data:`NOT_SCORED`)."""
    rows = session.exec(select(ThemeAssignment.theme_id, ThemeAssignment.sentiment, func.count())
                        .where(ThemeAssignment.theme_id.in_(list(theme_ids)))
                        .group_by(ThemeAssignment.theme_id, ThemeAssignment.sentiment)).all()
    counts: dict[int, dict] = {}
    for theme_id, feeling, n in rows:
        counts.setdefault(theme_id, {})[feeling] = n
    return {t: feeling_shares(by) for t, by in counts.items()}


def feeling_shares(by: dict) -> dict:
    """Shares of negative, mixed and positive among answers counted by feeling (None or "" for
    not scored), and the number not scored (:data:`NOT_SCORED`); empty for no answers."""
    if not by:
        return {}
    scored = sum(n for feeling, n in by.items() if feeling)
    shares = {c: by.get(c, 0) / scored for c in SENTIMENT_CLASSES} if scored else {}
    return {**shares, NOT_SCORED: sum(n for feeling, n in by.items() if not feeling)}


def feeling_text(shares: dict | None) -> str:
    """"62% negative, 25% mixed, 13% positive", and how many answers in Welsh have no sentiment
    (empty when the theme has no answers)."""
    if not shares:
        return ""
    unscored = shares.get(NOT_SCORED, 0)
    if all(c not in shares for c in SENTIMENT_CLASSES):
        return gettext("not measured: the answers are in Welsh") if unscored else ""
    text = ", ".join(f"{round(100 * shares[c])}% {gettext(FEELING_WORDS[c])}" for c in SENTIMENT_CLASSES)
    if unscored:
        text += "; " + ngettext("not measured for %(num)s answer in Welsh",
                                "not measured for %(num)s answers in Welsh", unscored)
    return text


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
    keep_model(session, run, model)
    run.status, run.step, run.progress = "done", "Finished", 1.0
    run.finished_at = utcnow()
    kept = [i for i, t in enumerate(texts) if t.answer_id in present]
    see(session, run, [texts[i].answer_id for i in kept])
    run.metrics = {"answers": len(kept), "themes": len(model.themes_), RULES_KEY: RULES,
                   "placed": int((model.labels_[kept] >= 0).sum()) if kept else 0,
                   # Which themes join first into broader ones (by theme id): "fewer, broader".
                   "theme_tree": [[ids[a], ids[b]] for a, b in getattr(model, "theme_tree_", [])
                                  if a in ids and b in ids]}
    session.add(run)
    session.flush()
    theme_tally.count_all(session, run)  # here, in the background, not on the first view


def fail(session: Session, run: AnalysisRun, told: dict) -> None:
    """The run failed; ``told`` (:func:`surveys.wording.said`) says why. The run keeps it untranslated,
    and its English as ``error`` (for logs), and :func:`failure` says it in the reader's language."""
    run.status, run.error, run.finished_at = "failed", english(told)[:2000], utcnow()
    run.metrics = {**run.metrics, "failed": told}
    session.add(run)


def failure(run: AnalysisRun) -> str | None:
    """Why the run failed, in the reader's language (runs failed before this was kept: as stored)."""
    told = run.metrics.get("failed")
    return say(told) if told else run.error


def fail_if_stale(session: Session, run: AnalysisRun) -> None:
    if run.status in {"queued", "running"} and utcnow() - run.created_at > STALE_AFTER:
        fail(session, run, said(N_("This analysis stopped without finishing, perhaps because the server "
                                   "restarted. Try it again.")))


def keep_model(session: Session, run: AnalysisRun, model) -> None:
    """Store the run's fitted model (plain arrays and hashed terms, no answer text) with the run."""
    session.exec(delete(RunModel).where(RunModel.run_id == run.id))
    if hasattr(model, "to_bytes"):
        session.add(RunModel(run_id=run.id, data=model.to_bytes()))


NO_MODEL = N_("This analysis was made before Engage kept each analysis’s model, so it cannot place "
              "new answers. Start a new analysis to include them.")
BUSY = N_("New answers are being placed into these themes. Try again in a minute.")


#: Why a run has no model when someone took their answers back after it ran and its model could
#: not be cleaned of their words (``forget_model``).
MODEL_FORGOTTEN = N_("Someone took their answers back after this analysis was made. Its model had "
                     "learnt words from their answers, so it was deleted with them and cannot place "
                     "new answers. Start a new analysis to include them.")
#: While a run's model is being cleaned of the words of someone who took their answers back, or
#: of words a release's redaction now takes out of answers (shown on the board meanwhile).
MODEL_CLEANING = N_("Words are being taken out of this analysis’s model: someone took their answers "
                    "back, or Engage now removes more personal details. New answers can be added "
                    "again in a minute.")
#: ``session.info`` key: runs whose kept model must be cleaned (``clean_model``) once the
#: transaction that took answers out of them commits; see ``models_to_clean``.
_TO_CLEAN = "surveys.models_to_clean"


def _no_model(run: AnalysisRun) -> str:
    return MODEL_FORGOTTEN if run.metrics.get("model_forgotten") else NO_MODEL


def models_to_clean(session: Session) -> set[int]:
    """The runs whose kept model learnt from answers this transaction took back (taken from the
    session: whoever commits it queues ``clean_model`` for each, or else ``forget_model``)."""
    return session.info.pop(_TO_CLEAN, set())


def clean_model(session: Session, run: AnalysisRun) -> int:
    """Take out of the run's kept model every term no answer it still has uses (people took theirs
    back): it places new answers again. Needs the analysis stack (``engage worker``). Returns how
    many terms went."""
    from analysis.persist import forget_terms  # only here: surveys never loads scikit-learn at import

    row = session.get(RunModel, run.id)
    dropped = 0
    if row is not None:
        kept = seen(session, run)
        row.data, dropped = forget_terms(row.data, [t.text for t in gather_texts(session, run)
                                                    if t.answer_id in kept])
        session.add(row)
    # Read again, locked: another withdrawal may have asked for a cleaning since this one began
    # (it then keeps the run waiting for its own).
    asked = run.metrics.get("model_cleaning")
    session.refresh(run, with_for_update=True)
    if run.metrics.get("model_cleaning") == asked:
        run.metrics = {k: v for k, v in run.metrics.items() if k != "model_cleaning"}
        session.add(run)
    return dropped


def forget_model(session: Session, run: AnalysisRun) -> None:
    """Delete the run's kept model: what is done when it cannot be cleaned of the words of people
    who took their answers back (it places no new answers; the board says why)."""
    session.exec(delete(RunModel).where(RunModel.run_id == run.id))
    run.metrics = {**{k: v for k, v in run.metrics.items() if k != "model_cleaning"},
                   "model_forgotten": True}
    session.add(run)


def load_model(session: Session, run: AnalysisRun):
    """The run's own fitted model, ready to place answers."""
    if run.metrics.get("model_cleaning"):
        raise EditError(MODEL_CLEANING)
    row = session.get(RunModel, run.id)
    if row is None:
        raise EditError(_no_model(run))
    from analysis import ThemeModel  # only here: surveys never loads scikit-learn at import

    return ThemeModel.from_bytes(row.data)


@dataclass(frozen=True)
class UpdateResult:
    """What an update did: answers placed into themes, answers that fit none, proposals made."""

    placed: int
    fit_none: int
    proposals: int


#: Rows written to the database at once (SQLite allows 32,766 bound values to a statement).
BATCH = 10_000


def see(session: Session, run: AnalysisRun, answer_ids: list[int]) -> None:
    """The run has now seen these answers (none seen before): an update will not take them in again."""
    table = RunAnswer.__table__
    for start in range(0, len(answer_ids), BATCH):
        session.execute(table.insert(), [{"run_id": run.id, "answer_id": a}
                                         for a in answer_ids[start:start + BATCH]])


def seen(session: Session, run: AnalysisRun) -> set[int]:
    """The answers a run has seen (:class:`surveys.models.RunAnswer`)."""
    return set(session.exec(select(RunAnswer.answer_id).where(RunAnswer.run_id == run.id)).all())


def waiting_ids(run: AnalysisRun) -> set[int]:
    """Answers of the run that fit no theme and wait for the facilitator (in a proposal or not)."""
    return {int(a) for p in run.metrics.get("proposals", []) for a in p["answer_ids"]} | \
        {int(a) for a in run.metrics.get("unfitted", [])}


def _current_groups(session: Session, run: AnalysisRun, by_id: dict[int, str]):
    """The run's top-level themes as they are now, each with its current answers' texts."""
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.position, Theme.id)).all()
    assigned = session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                            .where(ThemeAssignment.run_id == run.id)).all()
    members: dict[int, list[str]] = {t.id: [] for t in themes}
    for answer_id, theme_id in assigned:
        if theme_id in members and answer_id in by_id:
            members[theme_id].append(by_id[answer_id])
    return themes, [members[t.id] for t in themes]


def _place(session: Session, run: AnalysisRun, model, texts: list[RunText], chosen: list[RunText],
           novelty: bool):
    """Place ``chosen`` with the run's model into its themes as they are now; returns the
    assignments added (not yet flushed), the answers that fit no theme, and how similar the two
    closest themes are (new themes proposed should be further apart than that)."""
    from analysis.update import place

    themes, groups = _current_groups(session, run, {t.answer_id: t.text for t in texts})
    placement = place(model, groups, [t.text for t in chosen], novelty=novelty)
    feelings = text_sentiment([t.text for t in chosen])
    added, fit_none = [], []
    for text, label, score, feeling in zip(chosen, placement.labels, placement.scores, feelings,
                                           strict=True):
        if label >= 0:
            added.append(ThemeAssignment(run_id=run.id, theme_id=themes[label].id,
                                         answer_id=text.answer_id, score=float(score),
                                         sentiment=feeling))
        elif label == -2:  # analysis.model.FITS_NO_THEME; -1 is a non-answer, left out as in a run
            fit_none.append(text)
    return added, fit_none, placement.closest


def proposal_min_size(answers: int) -> int:
    """The smallest proposed theme: the engine's smallest automatic theme, 0.5% (at least 3)."""
    return max(3, int(round(0.005 * answers)))


def update_with_new_answers(session: Session, run: AnalysisRun, user_id: int | None = None) -> UpdateResult:
    """Place answers that arrived after the run into its themes (as edited) with the run's own
    model; gather those that fit no theme into proposed new themes for the facilitator.

    Answers still waiting from an earlier update are tried again with the new ones (the themes
    may have changed since) and grouped together with them. The update is logged like an edit,
    so undo takes the new placings and proposals out again."""
    from analysis.update import propose

    texts = gather_texts(session, run)
    placed_ids = set(session.exec(select(ThemeAssignment.answer_id)
                                  .where(ThemeAssignment.run_id == run.id)).all())
    metrics_before = dict(run.metrics)
    known = seen(session, run) | placed_ids
    new = [t for t in texts if t.answer_id not in known]
    if not new:
        return UpdateResult(0, 0, 0)
    model = load_model(session, run)
    waiting = waiting_ids(run) - placed_ids
    pool = [t for t in texts if t.answer_id in waiting or t.answer_id not in known]
    added, fit_none, closest = _place(session, run, model, texts, pool, novelty=True)
    session.add_all(added)
    session.flush()
    proposals, rest = propose([t.text for t in fit_none], proposal_min_size(len(texts)),
                              merge_above=closest)
    see(session, run, [t.answer_id for t in new])
    run.metrics = {**run.metrics, "answers": len(texts),
                   "placed": run.metrics.get("placed", 0) + len(added),
                   "proposals": [{"answer_ids": [fit_none[i].answer_id for i in p.rows],
                                  "label": p.label[:200], "keywords": list(p.keywords)}
                                 for p in proposals],
                   "unfitted": sorted(fit_none[i].answer_id for i in rest)}
    session.add(run)
    log_placed(session, run, [a.id for a in added], metrics_before, user_id=user_id,
               seen=[t.answer_id for t in new])
    return UpdateResult(len(added), len(fit_none), len(proposals))


def _proposal(run: AnalysisRun, key: str) -> tuple[list[dict], dict | None]:
    """The run's proposals and the one named by ``key`` (its first answer's id; "rest" for the
    answers in no proposal)."""
    proposals = [dict(p) for p in run.metrics.get("proposals", [])]
    if key == "rest":
        return proposals, None
    found = next((p for p in proposals if str(min(p["answer_ids"], default=-1)) == key), None)
    if found is None:
        raise EditError(N_("That proposed theme is no longer there. Reload the page to see the "
                           "answers still waiting."))
    return proposals, found


def _still_waiting(session: Session, run: AnalysisRun, answer_ids) -> list[int]:
    """Of these answers, those still there and not placed in a theme of the run."""
    ids = [int(a) for a in answer_ids]
    present = set(session.exec(select(Answer.id).where(Answer.id.in_(ids))).all())
    placed = set(session.exec(select(ThemeAssignment.answer_id).where(
        ThemeAssignment.run_id == run.id, ThemeAssignment.answer_id.in_(ids))).all())
    return [a for a in ids if a in present and a not in placed]


def check_placing(session: Session, run: AnalysisRun, action: str, key: str = "") -> None:
    """Refuse now, while the facilitator waits for the page, what placing answers in the
    background ("update", "accept" or "place" a proposal) would refuse."""
    if run.metrics.get("busy"):
        raise EditError(BUSY)
    if action in ("update", "place") and run.metrics.get("model_cleaning"):
        raise EditError(MODEL_CLEANING)
    if action in ("update", "place") and session.exec(select(RunModel.run_id)
                                                     .where(RunModel.run_id == run.id)).first() is None:
        raise EditError(_no_model(run))
    if action in ("accept", "place"):
        _waiting_to_act_on(session, run, action, key)


def start_placing(session: Session, run: AnalysisRun, action: str) -> None:
    """Mark the run as busy placing answers (the board shows it and takes no edits meanwhile)."""
    run.metrics = {**run.metrics, "busy": {"action": action, "since": utcnow().isoformat()},
                   "told": None}
    session.add(run)


def finish_placing(session: Session, run: AnalysisRun, message: list[dict], ok: bool = True) -> None:
    """The background work is over: say what it did (or why it could not) on the board. ``message``
    is sentences kept untranslated (:func:`surveys.wording.said`), shown in the reader's language."""
    run.metrics = {**run.metrics, "busy": None,
                   "told": {"message": message, "ok": ok, "at": utcnow().isoformat()}}
    session.add(run)


def _waiting_to_act_on(session: Session, run: AnalysisRun, action: str, key: str):
    """The proposal named by ``key`` and its answers still waiting (for accept or place)."""
    proposals, proposal = _proposal(run, key)
    if action == "accept":
        if proposal is None:
            raise EditError(N_("Only a proposed theme can be added as a theme."))
        answer_ids = _still_waiting(session, run, proposal["answer_ids"])
        if not answer_ids:
            raise EditError(N_("None of this proposed theme’s answers is still waiting."))
    else:
        wanted = proposal["answer_ids"] if proposal is not None else run.metrics.get("unfitted", [])
        answer_ids = _still_waiting(session, run, wanted)
        if not answer_ids:
            raise EditError(N_("None of these answers is still waiting."))
    return proposals, proposal, answer_ids


def accept_proposal(session: Session, run: AnalysisRun, key: str, user_id: int | None = None) -> Theme:
    """Make a proposed theme a theme of the run, with its answers, as one edit (undo removes it)."""
    proposals, proposal, answer_ids = _waiting_to_act_on(session, run, "accept", key)
    metrics_before = dict(run.metrics)
    last = session.exec(select(Theme.position).where(Theme.run_id == run.id)
                        .order_by(Theme.position.desc())).first()
    texts = dict(session.exec(select(Answer.id, Answer.text_redacted)
                              .where(Answer.id.in_(answer_ids))).all())
    theme = Theme(run_id=run.id, label=unique_label(session, run, proposal["label"] or "New answers"),
                  keywords=list(proposal.get("keywords", [])),
                  quote_ids=quote_choice(session, answer_ids), position=(last or 0) + 1)
    session.add(theme)
    session.flush()
    feelings = text_sentiment([texts[a] or "" for a in answer_ids])
    added = [ThemeAssignment(run_id=run.id, theme_id=theme.id, answer_id=a, sentiment=f)
             for a, f in zip(answer_ids, feelings, strict=True)]
    session.add_all(added)
    session.flush()
    run.metrics = {**run.metrics, "placed": run.metrics.get("placed", 0) + len(added),
                   "proposals": [p for p in proposals if p is not proposal]}
    session.add(run)
    log_placed(session, run, [a.id for a in added], metrics_before, theme_ids=[theme.id],
               user_id=user_id, action="accept")
    return theme


def place_waiting(session: Session, run: AnalysisRun, key: str, user_id: int | None = None) -> int:
    """Put a proposal's answers (or, for "rest", those in no proposal) into their nearest themes
    anyway, as one edit. Answers with no word the run's model knows stay waiting. Returns how
    many were placed."""
    proposals, proposal, answer_ids = _waiting_to_act_on(session, run, "place", key)
    ids = set(answer_ids)
    texts = gather_texts(session, run)
    chosen = [t for t in texts if t.answer_id in ids]
    if not chosen:
        raise EditError(N_("None of these answers is still waiting."))
    metrics_before = dict(run.metrics)
    added, left, _ = _place(session, run, load_model(session, run), texts, chosen, novelty=False)
    session.add_all(added)
    session.flush()
    unfitted = [a for a in run.metrics.get("unfitted", []) if proposal is not None or a not in ids]
    run.metrics = {**run.metrics, "placed": run.metrics.get("placed", 0) + len(added),
                   "proposals": [p for p in proposals if p is not proposal],
                   "unfitted": sorted(set(unfitted) | {t.answer_id for t in left})}
    session.add(run)
    log_placed(session, run, [a.id for a in added], metrics_before, user_id=user_id, action="place")
    return len(added)


def waiting_on_board(session: Session, run: AnalysisRun) -> dict:
    """What the board shows of answers that fit no theme: each proposal (key, label, keywords,
    count, three quotes as the answers' current redacted text, how many are flagged for
    safeguarding and so never quoted) and the rest."""
    ids = waiting_ids(run)
    rows = session.exec(
        select(Answer.id, Answer.text_redacted, Answer.safeguarding)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Answer.id.in_(ids), Respondent.submitted_at.is_not(None),
               Answer.text_redacted.is_not(None))).all() if ids else []
    placed = set(session.exec(select(ThemeAssignment.answer_id).where(
        ThemeAssignment.run_id == run.id, ThemeAssignment.answer_id.in_(ids))).all()) if ids else set()
    texts = {a: t for a, t, _ in rows if a not in placed}
    flagged = {a for a, _, f in rows if f}  # counted, never quoted (as in quote_texts)

    def group(answer_ids) -> dict:
        mine = {int(a): texts[int(a)] for a in answer_ids if int(a) in texts}
        return {"count": len(mine), "flagged": len(mine.keys() & flagged),
                "quotes": example_texts([t for a, t in mine.items() if a not in flagged], 3)}

    proposals = [{"key": str(min(p["answer_ids"])), "label": p["label"], "keywords": p["keywords"],
                  **group(p["answer_ids"])} for p in run.metrics.get("proposals", []) if p["answer_ids"]]
    proposals = [p for p in proposals if p["count"]]
    rest = group(run.metrics.get("unfitted", []))
    return {"total": sum(p["count"] for p in proposals) + rest["count"], "proposals": proposals,
            "rest": rest}


def forget_respondents(session: Session, respondents) -> int:
    """Take these people's words out of every theme analysis, before their answers are deleted.

    ``respondents`` is a list of respondent ids or a ``select`` of them (purge passes one for a
    whole consultation). Their answers leave every run's placings, blind-check sample, quotes (of
    themes and sub-themes), stored answer list and edit log, so nothing a run shows or exports
    afterwards can hold their words. A word of theirs that no answer left in a run uses leaves
    its themes' labels and keywords, as they are and as the edit log would put them back on undo.
    (And the audit trail of theme edits, which names themes by label.) A run's kept model, which
    learnt its vocabulary from their answers too, places nothing until their words are taken out
    of it: the caller queues ``clean_model`` for each run of ``models_to_clean`` (it needs the
    analysis engine), or ``forget_model`` deletes it. Counts on each run are brought up to date.
    Returns how many answers were forgotten. Flushes; the caller deletes the answers and commits.
    """
    who = respondents if hasattr(respondents, "subquery") else list(respondents)
    rows = session.exec(select(Answer.id, Respondent.consultation_id, Answer.text_redacted)
                        .join(Respondent, Respondent.id == Answer.respondent_id)
                        .where(Answer.respondent_id.in_(who))).all()
    gone = {a for a, _, _ in rows}
    if not gone:
        return 0
    their_words = {w for _, _, text in rows for w in _words(text or "")}
    answers = select(Answer.id).where(Answer.respondent_id.in_(who))
    placings = session.exec(select(ThemeAssignment.run_id, ThemeAssignment.id, ThemeAssignment.theme_id,
                                   ThemeAssignment.subtheme_id)
                            .where(ThemeAssignment.answer_id.in_(answers))).all()
    touched = {t for _, _, *pair in placings for t in pair if t is not None}
    placed: dict[int, set[int]] = {}
    for run_id, assignment_id, *_ in placings:
        placed.setdefault(run_id, set()).add(assignment_id)
    session.exec(delete(EvaluationCode).where(EvaluationCode.answer_id.in_(answers)))
    session.exec(delete(ThemeAssignment).where(ThemeAssignment.answer_id.in_(answers)))
    keep_keywords_still_used(session, touched)
    runs = session.exec(select(AnalysisRun).where(
        AnalysisRun.consultation_id.in_({c for _, c, _ in rows}))).all()
    for run in runs:
        # Their themes lose them, and so does everyone's stance (they may have written nothing).
        theme_tally.forget(session, run.id, {theme_tally.RUN, *touched})
        _forget_in_run(session, run, gone, answers, their_words, placed.get(run.id, set()))
    session.flush()
    return len(gone)


def _forget_in_run(session: Session, run: AnalysisRun, gone: set[int], answers,
                   their_words: set[str], placings: set[int] = frozenset()) -> None:
    """Take the answers ``gone`` (``answers``, a select of their ids) out of ``run``; ``their_words``
    are the words they used, ``placings`` the ids of their placings in the run (deleted already)."""
    theirs = (RunAnswer.run_id == run.id) & RunAnswer.answer_id.in_(answers)
    learnt = session.exec(select(RunAnswer.answer_id).where(theirs).limit(1)).first() is not None
    if learnt:
        # The model's vocabulary holds (hashes of) their words: it places nothing until they are
        # taken out of it (clean_model, after this commits), or it is deleted.
        clean_model_later(session, run)
    # Only words a label or keyword shows (now, or in the edit log) can leak; each is looked for
    # in the answers left, stopping at the first that uses it (never reading every answer).
    only_theirs = {w for w in their_words & shown_words(session, run)
                   if not _still_used(session, run, answers, w)} if learnt else set()
    for theme in session.exec(select(Theme).where(Theme.run_id == run.id)).all():
        quotes = [i for i in theme.quote_ids if int(i) not in gone]
        if quotes != theme.quote_ids:
            theme.quote_ids = quotes
            session.add(theme)
    for edit in session.exec(select(ThemeEdit).where(ThemeEdit.run_id == run.id)):
        before = edit.before
        kept = [a for a in before.get("assignments", []) if a["answer_id"] not in gone]
        themes = [{**t, "quote_ids": [i for i in t.get("quote_ids", []) if int(i) not in gone]}
                  for t in before.get("themes", [])]
        metrics = before.get("run_metrics")
        clean = _forget_waiting(session, metrics, gone) if metrics is not None else None
        if kept != before.get("assignments", []) or themes != before.get("themes", []) or \
                clean != metrics:
            edit.before = {**before, "assignments": kept, "themes": themes,
                           **({"run_metrics": clean} if metrics is not None else {})}
            session.add(edit)
    if waiting_ids(run) & gone:
        run.metrics = _forget_waiting(session, run.metrics, gone)
        session.add(run)
    forget_words(session, run, only_theirs)
    if learnt:
        _uncount_in_log(session, run, set(session.exec(select(RunAnswer.answer_id).where(theirs)).all()),
                        placings)
        session.exec(delete(RunAnswer).where(theirs))
        session.flush()
        placed = session.exec(select(func.count()).select_from(ThemeAssignment)
                              .where(ThemeAssignment.run_id == run.id)).one()
        still_seen = session.exec(select(func.count()).select_from(RunAnswer)
                                  .where(RunAnswer.run_id == run.id)).one()
        run.metrics = {**run.metrics, "answers": still_seen, "placed": placed}
        session.add(run)


def _uncount_in_log(session: Session, run: AnalysisRun, seen_gone: set[int], placed_gone: set[int]) -> None:
    """The run's counts each logged edit would put back on undo, without the answers taken back:
    ``seen_gone`` (answers the run had seen) and ``placed_gone`` (ids of their placings). An edit
    counted those seen and placed before it, so not those it or a later edit saw or placed first
    (``created``); undone in turn, each then says what the run's rows hold."""
    later_seen, later_placed = set(), set()
    for edit in session.exec(select(ThemeEdit).where(ThemeEdit.run_id == run.id)
                             .order_by(ThemeEdit.id.desc())).all():
        later_seen.update(edit.created.get("seen", []))
        later_placed.update(edit.created.get("assignments", []))
        metrics = edit.before.get("run_metrics")
        if metrics is None:
            continue
        less = {"answers": len(seen_gone - later_seen), "placed": len(placed_gone - later_placed)}
        fixed = {k: max(0, metrics[k] - n) for k, n in less.items() if n and k in metrics}
        if fixed:
            edit.before = {**edit.before, "run_metrics": {**metrics, **fixed}}
            session.add(edit)


def _forget_waiting(session: Session, metrics: dict, gone: set[int]) -> dict:
    """Run metrics without these answers among those waiting (proposals and the rest). A proposal
    keeps only the keywords, and a label, that its remaining answers still use, so no word of a
    forgotten answer stays on the board; a proposal left empty goes."""
    ids = {int(a) for p in metrics.get("proposals", []) for a in p["answer_ids"]} | \
        {int(a) for a in metrics.get("unfitted", [])}
    if not ids & gone:
        return metrics
    texts = dict(session.exec(select(Answer.id, Answer.text_redacted)
                              .where(Answer.id.in_(ids - gone))).all())
    proposals = []
    for p in metrics.get("proposals", []):
        kept = [a for a in p["answer_ids"] if int(a) not in gone]
        if len(kept) == len(p["answer_ids"]):
            proposals.append(p)
        elif kept:
            words = {w for a in kept for w in _words(texts.get(int(a)) or "")}
            keywords = [k for k in p.get("keywords", []) if set(_words(k)) <= words]
            label = p["label"] if set(_words(p["label"])) <= words else \
                (keywords[0][:1].upper() + keywords[0][1:] if keywords else "New answers")
            proposals.append({**p, "answer_ids": kept, "keywords": keywords, "label": label})
    return {**metrics, "proposals": proposals,
            "unfitted": [a for a in metrics.get("unfitted", []) if int(a) not in gone]}


def clean_model_later(session: Session, run: AnalysisRun) -> None:
    """If the run kept a model, it places nothing until ``clean_model`` has taken out of it every
    term no answer left uses (queued when this transaction commits; see ``models_to_clean``)."""
    if session.exec(select(RunModel.run_id).where(RunModel.run_id == run.id)).first():
        run.metrics = {**run.metrics, "model_cleaning": run.metrics.get("model_cleaning", 0) + 1}
        session.add(run)
        session.info.setdefault(_TO_CLEAN, set()).add(run.id)


def shown_words(session: Session, run: AnalysisRun) -> set[str]:
    """The words the run's labels and keywords show, now or in its edit log (put back on undo),
    and its proposed themes' (casefolded)."""
    logged = [t for before in session.exec(select(ThemeEdit.before).where(ThemeEdit.run_id == run.id))
              for t in [*before.get("themes", []), *(before.get("run_metrics") or {}).get("proposals", [])]]
    rows = [(t.label, t.keywords) for t in session.exec(select(Theme).where(Theme.run_id == run.id))]
    rows += [(t.get("label", ""), t.get("keywords", []))
             for t in [*logged, *run.metrics.get("proposals", [])]]
    return {w for label, keywords in rows for w in _words(" ".join([label, *keywords]))}


def forget_words(session: Session, run: AnalysisRun, words: set[str]) -> None:
    """Take ``words`` (casefolded) out of every label and keyword of the run: its themes', its
    proposed themes', those its edit log would put back, and the audit trail's."""
    if not words:
        return
    for theme in session.exec(select(Theme).where(Theme.run_id == run.id)).all():
        label, keywords = _without_words(theme.label, theme.keywords, words)
        if (label, keywords) != (theme.label, theme.keywords):
            theme.keywords = keywords
            if label != theme.label:
                theme.label = label if theme.parent_id is not None else \
                    unique_label(session, run, label, ignore=theme.id)
            session.add(theme)
    for edit in session.exec(select(ThemeEdit).where(ThemeEdit.run_id == run.id)):
        before = edit.before
        themes = [{**t, **_logged_without_words(t, words)} for t in before.get("themes", [])]
        metrics = before.get("run_metrics")
        clean = _proposals_without_words(metrics, words) if metrics is not None else None
        if themes != before.get("themes", []) or clean != metrics:
            edit.before = {**before, "themes": themes,
                           **({"run_metrics": clean} if metrics is not None else {})}
            session.add(edit)
    if run.metrics.get("proposals"):
        run.metrics = _proposals_without_words(run.metrics, words)
        session.add(run)
    _forget_in_audit(session, run, words)


def _proposals_without_words(metrics: dict, words: set[str]) -> dict:
    proposals = [{**p, **_logged_without_words(p, words)} for p in metrics.get("proposals", [])]
    return {**metrics, "proposals": proposals} if proposals != metrics.get("proposals", []) else metrics


def earlier_analyses(session: Session) -> list[int]:
    """The ids of finished analyses made under older redaction rules than this release's."""
    return [run.id for run in session.exec(select(AnalysisRun).where(AnalysisRun.status == "done")
                                           .order_by(AnalysisRun.id)).all()
            if run.metrics.get(RULES_KEY) != RULES]


def redact_earlier_analysis(session: Session, run: AnalysisRun) -> set[str]:
    """Bring an analysis made under older rules up to this release's: every word its labels and
    keywords show (now, in its edit log, in its proposed themes and in the audit trail) that people
    wrote but no redacted answer now has leaves them, as a withdrawn person's words do; its kept
    model places nothing until ``engage worker`` has taken out of it every term no answer uses.
    A word nobody wrote (a facilitator's own label) stays. Returns the words taken out. Flushes;
    the caller commits (which queues the model's cleaning)."""
    written, kept = set(), set()
    rows = session.exec(select(Answer.text, Answer.text_redacted)
                        .where(Answer.question_id.in_(run.question_ids), Answer.text.is_not(None))
                        .execution_options(yield_per=BATCH))
    for text, redacted in rows:
        written.update(_words(text))
        kept.update(_words(redacted or ""))
    gone = (shown_words(session, run) & written) - kept
    forget_words(session, run, gone)
    clean_model_later(session, run)
    run.metrics = {**run.metrics, RULES_KEY: RULES}
    session.add(run)
    session.flush()
    return gone


def _still_used(session: Session, run: AnalysisRun, answers, word: str) -> bool:
    """Whether an answer to ``run``'s questions other than ``answers`` uses ``word``."""
    texts = session.exec(select(Answer.text_redacted).where(
        Answer.question_id.in_(run.question_ids), Answer.id.not_in(answers),
        Answer.text_redacted.icontains(word, autoescape=True)))
    return any(word in _words(text or "") for text in texts)


def _without_words(label: str, keywords: list, words: set[str]) -> tuple[str, list]:
    """A theme's label and keywords without ``words`` (a forgotten person's own): a keyword with
    one goes; a label with one becomes the first keyword left (or a plain name)."""
    if not words:
        return label, keywords
    kept = [k for k in keywords if not set(_words(k)) & words]
    if set(_words(label)) & words:
        label = kept[0][:1].upper() + kept[0][1:] if kept else "Theme"
    return label, kept


def _logged_without_words(row: dict, words: set[str]) -> dict:
    """A theme row kept in the edit log (to put back on undo), without ``words``."""
    if not words or "label" not in row:
        return {}
    label, keywords = _without_words(row["label"], row.get("keywords", []), words)
    return {"label": label, "keywords": keywords}


def _forget_in_audit(session: Session, run: AnalysisRun, words: set[str]) -> None:
    """The audit trail of edits to ``run``'s themes names themes by their labels, which the engine
    may have made of a forgotten person's words: those words are replaced there too."""
    if not words:
        return
    pattern = re.compile(r"[^\W\d_]+")

    def clean(value):
        if isinstance(value, str):
            return pattern.sub(lambda m: "[withdrawn]" if m.group().casefold() in words else m.group(), value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        return {k: clean(v) for k, v in value.items()} if isinstance(value, dict) else value

    for event in session.exec(select(AuditEvent).where(AuditEvent.action.startswith("theme."))):
        if event.detail.get("run") == run.id or (event.object_type == "analysis_run"
                                                 and event.object_id == str(run.id)):
            detail = clean(event.detail)
            if detail != event.detail:
                event.detail = detail
                session.add(event)
