"""Board-level edits: create a theme, undo the last edit, place new answers into the themes."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import login_required
from sqlmodel import select

from surveys import theme_runs
from surveys.models import AuditEvent

from .. import db
from ..audit import record
from ..auth.access import consultation_or_refuse
from . import bp
from .forms import ActionForm
from .views import _run

UNDOABLE = ("theme.rename", "theme.review", "theme.move_answer", "theme.merge", "theme.split",
            "theme.create")


def last_undoable(session, run_id: int) -> AuditEvent | None:
    """The latest edit of this run that has not been undone yet."""
    events = session.exec(select(AuditEvent).where(AuditEvent.action.in_(UNDOABLE + ("theme.undo",)))
                          .order_by(AuditEvent.id.desc()).limit(500)).all()
    undone = {e.detail.get("undid") for e in events if e.action == "theme.undo"}
    return next((e for e in events if e.action in UNDOABLE and e.detail.get("run") == run_id
                 and e.id not in undone), None)


@bp.post("/<int:run_id>/edit")
@login_required
def board_edit(slug: str, run_id: int):
    consultation = consultation_or_refuse(slug, edit=True)
    run = _run(consultation, run_id)
    if not ActionForm().validate() or run.status != "done":
        abort(400, "This page was open too long. Go back, reload the page and try again.")
    s = db.session()
    action = request.form.get("action")
    try:
        if action == "create":
            theme = theme_runs.create_theme(s, run, request.form.get("label", "")[:300])
            record(s, "theme.create", "theme", theme.id, {"label": theme.label, "run": run.id})
            flash(f"Theme “{theme.label}” created. Move answers into it from other themes.", "success")
        elif action == "undo":
            event = last_undoable(s, run.id)
            if event is None:
                abort(400, "There is nothing to undo.")
            theme_runs.undo(s, run, event.action, event.object_id, event.detail)
            record(s, "theme.undo", "theme", event.object_id, {"undid": event.id, "run": run.id,
                                                               "what": event.action})
            flash("Your last change was undone.", "success")
        elif action == "update":
            count = theme_runs.update_with_new_answers(s, run)
            record(s, "analysis.update", "analysis_run", run.id, {"placed": count, "run": run.id})
            flash(f"{count} new answers were placed into the themes. Your edits were kept." if count
                  else "There are no new answers to place.", "success")
        else:
            abort(400)
    except theme_runs.EditError as exc:
        s.rollback()
        abort(400, str(exc))
    return redirect(url_for(".run", slug=slug, run_id=run.id))
