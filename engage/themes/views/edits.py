"""Board-level edits: create a theme, fewer and broader or more and narrower themes, undo the last
edit, place new answers into the themes, and
act on the answers that fit no theme (add a proposed theme, or put them in the nearest themes)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from surveys import theme_edits, theme_runs
from surveys.wording import N_

from ... import db
from ...audit import record
from ...auth.access import consultation_or_refuse
from ...jobs import add_job
from .. import bp
from ..forms import ActionForm
from ..jobs import place_answers
from .board import _run, refuse_while_placing, show_board


def _finished_run_to_edit(slug: str, run_id: int):
    """The consultation and finished run a board form edits, for someone who may edit the
    consultation; 400 when the form's token has expired or the run is not finished, 409 while
    answers are being placed."""
    consultation = consultation_or_refuse(slug, edit=True)
    run = _run(consultation, run_id)
    if not ActionForm().validate() or run.status != "done":
        abort(400, _("This page was open too long. Go back, reload the page and try again."))
    refuse_while_placing(run)
    return consultation, run


def _refused(s, consultation, run, action: str, exc: theme_edits.EditError):
    """The board again, saying why the edit was refused beside its field (the name typed kept)."""
    s.rollback()
    typed = request.form.get("label", "")[:300] if action == "create" else ""
    return show_board(consultation, run, action, str(exc), typed)


def _place_in_background(s, run, action: str, key: str = "") -> None:
    """Placing answers needs the run's model (the analysis stack): check what can be checked now,
    then leave the work to ``engage worker``; the board says when it is done."""
    theme_runs.check_placing(s, run, action, key)
    theme_runs.start_placing(s, run, action)
    add_job(s, place_answers, run.id, action, key, current_user.id)
    flash(_("Placing the answers into the themes. This page updates itself when it is done."), "info")


@bp.post("/<id:run_id>/edit")
@login_required
def board_edit(slug: str, run_id: int):
    consultation, run = _finished_run_to_edit(slug, run_id)
    s = db.session()
    action = request.form.get("action")
    try:
        if action == "create":
            theme = theme_edits.create_theme(s, run, request.form.get("label", "")[:300], current_user.id)
            record(s, "theme.create", "theme", theme.id, {"label": theme.label, "run": run.id})
            flash(_("Theme “%(label)s” created. Move answers into it from other themes.", label=theme.label),
                  "success")
        elif action == "undo":
            # The edit the page's button named (none from a page without it: the latest).
            edit = theme_edits.undo_last(s, run, request.form.get("edit", type=int))
            # The audit trail records the undo; the edit log (not the trail) is what undo reads.
            record(s, "theme.undo", "analysis_run", run.id, {"run": run.id, "what": edit.action})
            flash(_("Your last change was undone."), "success")
        elif action == "broaden":
            count = request.form.get("count", type=int)
            if count is None:
                raise theme_edits.EditError(N_("Choose how many themes you want."))
            done = theme_edits.broaden(s, run, count, current_user.id)
            record(s, "theme.broaden", "analysis_run", run.id, {**done, "run": run.id})
            flash(_("Themes grouped into %(count)s broader themes. The themes they bring together are now "
                    "their sub-themes. You can undo this.", count=done["themes"]), "success")
        elif action == "narrow":
            done = theme_edits.narrow(s, run, current_user.id)
            record(s, "theme.narrow", "analysis_run", run.id, {**done, "run": run.id})
            flash(_("Sub-themes are now themes of their own: %(count)s themes. You can undo this.",
                    count=done["themes"]), "success")
        elif action == "update":
            _place_in_background(s, run, "update")
        else:
            abort(400)
    except theme_edits.EditError as exc:
        return _refused(s, consultation, run, action, exc)
    return redirect(url_for(".run", slug=slug, run_id=run.id))


@bp.post("/<id:run_id>/waiting")
@login_required
def waiting(slug: str, run_id: int):
    """Answers that fit no theme: add a proposal as a theme, or put answers in the nearest themes."""
    consultation, run = _finished_run_to_edit(slug, run_id)
    s = db.session()
    action, key = request.form.get("action"), request.form.get("proposal", "")[:20]
    try:
        if action not in ("accept", "place"):
            abort(400)
        _place_in_background(s, run, action, key)
    except theme_edits.EditError as exc:
        return _refused(s, consultation, run, action, exc)
    return redirect(url_for(".run", slug=slug, run_id=run.id))


@bp.get("/<id:run_id>/edit")
@bp.get("/<id:run_id>/waiting")
@login_required
def board_forms(slug: str, run_id: int):
    """The board's forms post here, and a refused edit shows the board at this address: opened
    again from the address bar, it is the board."""
    _run(consultation_or_refuse(slug), run_id)
    return redirect(url_for(".run", slug=slug, run_id=run_id))
