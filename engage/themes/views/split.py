"""Splitting a theme under the facilitator's control: by its sub-themes or by a word or phrase,
previewed before anything changes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from surveys import theme_board, theme_edits
from surveys.models import Theme
from surveys.types.base import whole_number

from ... import db
from ...audit import record
from ...auth.access import consultation_or_refuse
from .. import bp
from ..forms import ActionForm
from .board import _run, refuse_while_placing


def _choice() -> dict:
    """The facilitator's choice, from the query string (preview) or the form (split)."""
    args = request.form if request.method == "POST" else request.args
    # ASCII digits only: "²" is a digit to str.isdigit and no number to int (it was a 500).
    ids = [n for v in args.getlist("sub")[:50] if (n := whole_number(v)) is not None and 0 < n < 2**31]
    return {"subtheme_ids": ids,
            "phrase": args.get("phrase", "")[:300], "label": args.get("label", "")[:300]}


@bp.route("/<id:run_id>/t/<id:theme_id>/split", methods=["GET", "POST"])
@login_required
def split(slug: str, run_id: int, theme_id: int):
    consultation = consultation_or_refuse(slug, edit=True)
    run = _run(consultation, run_id)
    s = db.session()
    theme = s.get(Theme, theme_id)
    if theme is None or theme.run_id != run.id or theme.parent_id is not None or run.status != "done":
        abort(404)
    choice = _choice()
    if request.method == "POST":
        refuse_while_placing(run)
        if not ActionForm().validate():
            abort(400, _("This page was open too long. Go back, reload the page and try again."))
        try:
            detail = theme_edits.split_theme(s, run, theme.id, **choice, user_id=current_user.id)
        except theme_edits.EditError as exc:
            s.rollback()
            abort(400, str(exc))
        record(s, "theme.split", "theme", theme.id, {**detail, "run": run.id})
        names = ", ".join(f"“{label}”" for label in detail["labels"])
        flash(_("Split %(count)s answers off “%(label)s” into %(names)s.", count=detail["answers"],
                label=theme.label, names=names), "success")
        return redirect(url_for(".run", slug=slug, run_id=run.id))
    subthemes = theme_board.subtheme_sizes(s, theme.id)
    plan, error = None, None
    if choice["subtheme_ids"] or choice["phrase"] or "by" in request.args:
        try:
            plan = theme_edits.plan_split(s, run, theme.id, **choice)
        except theme_edits.EditError as exc:
            error = str(exc)
    return render_template("themes/split.html", consultation=consultation, run=run, theme=theme,
                           subthemes=[(t, n) for t, n in subthemes if n], choice=choice, plan=plan,
                           error=error, by=request.args.get("by", ""), form=ActionForm()), \
        (400 if error else 200)
