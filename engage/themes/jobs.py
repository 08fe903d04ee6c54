"""The analysis job: texts from the database through the theme model, results stored whole."""

from __future__ import annotations

from surveys import theme_runs
from surveys.models import AnalysisRun

from .. import db
from ..mail.messages import analysis_finished


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
            raise ValueError(f"There are only {len(texts)} written answers to analyse. Themes need "
                             f"at least {theme_runs.MIN_TEXTS}.")
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
            theme_runs.fail(s, run, _plain(exc))
            analysis_finished(s, run)


def _plain(exc: Exception) -> str:
    return str(exc) if isinstance(exc, ValueError) else f"The analysis stopped: {type(exc).__name__}: {exc}"


def _analysis_failed(session, run_id: int, message: str) -> None:
    """Called by the queue when the job running this analysis died or raised."""
    run = session.get(AnalysisRun, run_id)
    if run is not None and run.status in {"queued", "running"}:
        theme_runs.fail(session, run, message)


run_analysis.on_failure = _analysis_failed
