"""Board-level edits: create a theme, fewer and broader or more and narrower themes, undo the last
edit, place new answers into the themes, and
act on the answers that fit no theme (add a proposed theme, or put them in the nearest themes)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from surveys import theme_edits, theme_runs

from .. import db
from ..audit import record
from ..auth.access import consultation_or_refuse
from . import bp
from .forms import ActionForm
from .views import _run


def _finished_run_to_edit(slug: str, run_id: int):
    """The finished run a board form edits, for someone who may edit the consultation; 400 when
    the form's token has expired or the run is not finished."""
    run = _run(consultation_or_refuse(slug, edit=True), run_id)
    if not ActionForm().validate() or run.status != "done":
        abort(400, "This page was open too long. Go back, reload the page and try again.")
    return run


@bp.post("/<int:run_id>/edit")
@login_required
def board_edit(slug: str, run_id: int):
    run = _finished_run_to_edit(slug, run_id)
    s = db.session()
    action = request.form.get("action")
    try:
        if action == "create":
            theme = theme_edits.create_theme(s, run, request.form.get("label", "")[:300], current_user.id)
            record(s, "theme.create", "theme", theme.id, {"label": theme.label, "run": run.id})
            flash(f"Theme “{theme.label}” created. Move answers into it from other themes.", "success")
        elif action == "undo":
            edit = theme_edits.undo_last(s, run)
            # The audit trail records the undo; the edit log (not the trail) is what undo reads.
            record(s, "theme.undo", "analysis_run", run.id, {"run": run.id, "what": edit.action})
            flash("Your last change was undone.", "success")
        elif action == "broaden":
            count = request.form.get("count", type=int)
            if count is None:
                raise theme_edits.EditError("Choose how many themes you want.")
            done = theme_edits.broaden(s, run, count, current_user.id)
            record(s, "theme.broaden", "analysis_run", run.id, {**done, "run": run.id})
            flash(f"Themes grouped into {done['themes']} broader themes. The themes they bring "
                  "together are now their sub-themes. You can undo this.", "success")
        elif action == "narrow":
            done = theme_edits.narrow(s, run, current_user.id)
            record(s, "theme.narrow", "analysis_run", run.id, {**done, "run": run.id})
            flash(f"Sub-themes are now themes of their own: {done['themes']} themes. You can undo this.",
                  "success")
        elif action == "update":
            done = theme_runs.update_with_new_answers(s, run, current_user.id)
            record(s, "analysis.update", "analysis_run", run.id,
                   {"placed": done.placed, "fit_none": done.fit_none, "run": run.id})
            flash(_update_message(done), "success")
        else:
            abort(400)
    except theme_edits.EditError as exc:
        s.rollback()
        abort(400, str(exc))
    return redirect(url_for(".run", slug=slug, run_id=run.id))


def _update_message(done) -> str:
    if not done.placed and not done.fit_none:
        return "There are no new answers to place."
    told = [f"{_answers(done.placed)} placed into the themes. Your edits were kept."] if done.placed else []
    if done.fit_none:
        where = "see the proposed new themes below" if done.proposals else "see below"
        told.append(f"{_count(done.fit_none)} fit no theme: {where}.")
    return " ".join(told)


def _answers(n: int) -> str:
    return "1 new answer was" if n == 1 else f"{n} new answers were"


def _count(n: int) -> str:
    return "1 new answer" if n == 1 else f"{n} new answers"


@bp.post("/<int:run_id>/waiting")
@login_required
def waiting(slug: str, run_id: int):
    """Answers that fit no theme: add a proposal as a theme, or put answers in the nearest themes."""
    run = _finished_run_to_edit(slug, run_id)
    s = db.session()
    action, key = request.form.get("action"), request.form.get("proposal", "")[:20]
    try:
        if action == "accept":
            theme = theme_runs.accept_proposal(s, run, key, current_user.id)
            record(s, "theme.accept_proposal", "theme", theme.id, {"label": theme.label, "run": run.id})
            flash(f"Theme “{theme.label}” added with its answers.", "success")
        elif action == "place":
            count = theme_runs.place_waiting(s, run, key, current_user.id)
            record(s, "analysis.place_waiting", "analysis_run", run.id, {"placed": count, "run": run.id})
            flash(f"{count} answers were put into their nearest themes." if count else
                  "None of these answers shares a word with any theme, so none could be placed.",
                  "success")
        else:
            abort(400)
    except theme_edits.EditError as exc:
        s.rollback()
        abort(400, str(exc))
    return redirect(url_for(".run", slug=slug, run_id=run.id))
