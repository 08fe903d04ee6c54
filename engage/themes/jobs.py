"""The analysis jobs: texts from the database through the theme model, results stored whole;
placing answers with a run's kept model (new answers, or those waiting in proposals); and taking
out of a kept model the words of people who took their answers back. All need the analysis
stack, so all run in ``engage worker``, never in a web worker."""

from __future__ import annotations

import logging

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from surveys import job_queue, theme_runs
from surveys.models import AnalysisRun
from surveys.theme_edits import EditError
from surveys.wording import N_, Refusal, said

from .. import db
from ..audit import record
from ..jobs import add_job, task_name
from ..mail.messages import analysis_finished

log = logging.getLogger(__name__)


def run_analysis(run_id: int) -> None:
    """Run one analysis. Progress is saved as it goes; themes appear only when all are written."""
    from analysis import ThemeModel  # only here: web workers never load scikit-learn

    with db.unit_of_work() as s:
        run = s.get(AnalysisRun, run_id)
        theme_runs.set_progress(s, run, "Collecting answers", 0.02)
        texts = theme_runs.gather_texts(s, run)
        params = dict(run.params)

    def progress(step: str, fraction: float) -> None:
        with db.unit_of_work() as s:
            theme_runs.set_progress(s, s.get(AnalysisRun, run_id), step, 0.05 + 0.85 * fraction)

    try:
        if len(texts) < theme_runs.MIN_TEXTS:
            raise Refusal(N_("There are only %(count)s written answers to analyse. Themes need at least "
                             "%(least)s."), count=len(texts), least=theme_runs.MIN_TEXTS)
        model = ThemeModel(n_themes=params.get("n_themes"), random_state=params.get("seed", 0),
                           redact=False)  # answers are already redacted when saved
        model.fit([t.text for t in texts], segments=[t.segment for t in texts],
                  positions=[t.position for t in texts], progress=progress)
        with db.unit_of_work() as s:
            run = s.get(AnalysisRun, run_id)
            theme_runs.set_progress(s, run, "Saving themes", 0.95)
            theme_runs.store_results(s, run, texts, model)
            analysis_finished(s, run)
    except Exception as exc:  # noqa: BLE001 - any failure is shown to the facilitator
        with db.unit_of_work() as s:
            run = s.get(AnalysisRun, run_id)
            theme_runs.fail(s, run, _why(exc))
            analysis_finished(s, run)


def _why(exc: Exception) -> dict:
    """Why the analysis failed, for the facilitator: a refusal in their words, anything else as
    the analysis stopping with the error's own (technical, untranslated) words."""
    if isinstance(exc, Refusal):
        return exc.said()
    return said(_STOPPED, error=f"{type(exc).__name__}: {exc}")


_STOPPED = N_("The analysis stopped: %(error)s")


def _analysis_failed(session, run_id: int, message: dict) -> None:
    """Called by the queue when the job running this analysis died or raised."""
    run = session.get(AnalysisRun, run_id)
    if run is not None and run.status in {"queued", "running"}:
        theme_runs.fail(session, run, message)


run_analysis.on_failure = _analysis_failed


def place_answers(run_id: int, action: str, key: str, user_id: int | None) -> None:
    """Place answers with the run's kept model, then say on the board what happened: "update"
    (answers that arrived since), "accept" a proposed theme, or "place" waiting answers anyway."""
    try:
        with db.unit_of_work() as s:
            run = s.get(AnalysisRun, run_id)
            if action == "update":
                done = theme_runs.update_with_new_answers(s, run, user_id)
                record(s, "analysis.update", "analysis_run", run.id,
                       {"placed": done.placed, "fit_none": done.fit_none, "run": run.id}, user_id=user_id)
                told = _update_message(done)
            elif action == "accept":
                theme = theme_runs.accept_proposal(s, run, key, user_id)
                record(s, "theme.accept_proposal", "theme", theme.id, {"label": theme.label, "run": run.id},
                       user_id=user_id)
                told = [said(N_("Theme “%(label)s” added with its answers."), label=theme.label)]
            else:
                count = theme_runs.place_waiting(s, run, key, user_id)
                record(s, "analysis.place_waiting", "analysis_run", run.id, {"placed": count, "run": run.id},
                       user_id=user_id)
                told = [said(_PUT[count != 1], count=count) if count else said(_PUT_NONE)]
            theme_runs.finish_placing(s, run, told)
    except EditError as exc:  # something changed since the request checked it
        with db.unit_of_work() as s:
            theme_runs.finish_placing(s, s.get(AnalysisRun, run_id), [exc.said()], ok=False)


def _placing_failed(session, run_id: int, *_args, message: str) -> None:
    run = session.get(AnalysisRun, run_id)
    if run is not None and run.metrics.get("busy"):
        theme_runs.finish_placing(session, run, [said(N_("Placing the answers stopped before it finished. "
                                                         "Nothing was changed. Try again."))], ok=False)


place_answers.on_failure = _placing_failed


def _counted(forms: tuple[str, str], n: int) -> dict:
    """A sentence about ``n`` answers. Both forms are in the catalog (Welsh puts a noun after a
    number in the singular, so each has one translation)."""
    return said(forms[0] if n == 1 else forms[1], num=n)


def _update_message(done) -> list[dict]:
    if not done.placed and not done.fit_none:
        return [said(N_("There are no new answers to place."))]
    told = [_counted(_PLACED, done.placed)] if done.placed else []
    if done.fit_none:
        told.append(_counted(_FIT_NONE_PROPOSED if done.proposals else _FIT_NONE, done.fit_none))
    return told


_PLACED = (N_("%(num)s new answer was placed into the themes. Your edits were kept."),
           N_("%(num)s new answers were placed into the themes. Your edits were kept."))
_FIT_NONE_PROPOSED = (N_("%(num)s new answer fit no theme: see the proposed new themes below."),
                      N_("%(num)s new answers fit no theme: see the proposed new themes below."))
_FIT_NONE = (N_("%(num)s new answer fit no theme: see below."),
             N_("%(num)s new answers fit no theme: see below."))
_PUT = (N_("%(count)s answer was put into its nearest theme."),
        N_("%(count)s answers were put into their nearest themes."))
_PUT_NONE = N_("None of these answers shares a word with any theme, so none could be placed.")


def clean_run_model(run_id: int) -> None:
    """Take the words of people who took their answers back out of a run's kept model, so that it
    places new answers again. If that fails the model is deleted: it never keeps their words.

    It reads the run after every withdrawal that queued it, or found it waiting, committed: so it
    cleans whether or not an earlier one already cleared the run's "being cleaned" mark (two
    withdrawals at once may both have set it)."""
    try:
        with db.unit_of_work() as s:
            run = s.get(AnalysisRun, run_id)
            if run is not None:
                theme_runs.clean_model(s, run)
    except Exception:  # noqa: BLE001 - whatever went wrong, their words must not stay
        log.exception("The model of analysis %s could not be cleaned: it is deleted", run_id)
        with db.unit_of_work() as s:
            _model_not_cleaned(s, run_id)


def _model_not_cleaned(session, run_id: int, *_args, message: dict | None = None) -> None:
    """Called by the queue when the job cleaning this run's model died: the model goes."""
    run = session.get(AnalysisRun, run_id)
    if run is not None:
        theme_runs.forget_model(session, run)


clean_run_model.on_failure = _model_not_cleaned


def _queue_cleaning(session) -> None:
    """Before a transaction that took answers back out of runs commits: queue the cleaning of each
    run's model in it, unless one no worker has started yet is already queued (it reads the run
    after this commits, so it takes these words out too: ten withdrawals in a minute clean a large
    run's model once or twice, not ten times). Outside an app (no queue to put it in), the models
    are deleted now."""
    runs = theme_runs.models_to_clean(session)
    if runs and has_app_context():
        waiting = {tuple(args) for args in job_queue.waiting_args(session, task_name(clean_run_model))}
        for run_id in sorted(runs):
            if (run_id,) not in waiting:
                add_job(session, clean_run_model, run_id)
        return
    for run_id in sorted(runs):
        if (run := session.get(AnalysisRun, run_id)) is not None:
            theme_runs.forget_model(session, run)


def _forget_cleaning(session, previous_transaction) -> None:
    # As engage.jobs: a savepoint rolled back leaves the rest of the transaction's work.
    if not previous_transaction.nested:
        theme_runs.models_to_clean(session)


def listen() -> None:
    """Queue the cleaning of kept models from any session that takes answers back."""
    if not event.contains(Session, "before_commit", _queue_cleaning):
        event.listen(Session, "before_commit", _queue_cleaning)
        event.listen(Session, "after_soft_rollback", _forget_cleaning)
