"""Blind coding of a random sample, then the agreement between facilitator and model."""

from __future__ import annotations

from collections import Counter

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from surveys import evaluation, theme_board, theme_edits
from surveys.models import Answer

from ... import db
from ...audit import record
from ...auth.access import consultation_or_refuse
from ...routing import id_from
from .. import bp
from ..forms import ActionForm
from .board import _run

SAMPLE_SIZES = (20, 30, 50, 100)


def _choices(themes) -> list[tuple[int, str]]:
    """Theme names to choose from; themes that share a name are told apart by their keywords."""
    names = Counter(theme_edits.same_name(t.label) for t in themes)  # (names that only look alike, too)
    return [(t.id, t.label if names[theme_edits.same_name(t.label)] == 1 or not t.keywords
             else f"{t.label} ({', '.join(t.keywords[:3])})") for t in themes]


@bp.route("/<id:run_id>/check", methods=["GET", "POST"])
@login_required
def evaluate(slug: str, run_id: int):
    consultation = consultation_or_refuse(slug, edit=request.method == "POST")
    run = _run(consultation, run_id)
    s = db.session()
    form = ActionForm()
    unchosen = None
    if request.method == "POST":
        if not form.validate():
            abort(400, _("This page was open too long. Go back, reload the page and try again."))
        try:
            if request.form.get("action") == "start":
                size = request.form.get("size", type=int)
                if size not in SAMPLE_SIZES:
                    abort(400, _("Choose one of the sample sizes offered."))
                evaluation.start_sample(s, run, size)
                record(s, "evaluation.start", "analysis_run", run.id, {"size": size})
            elif choice := request.form.get("theme", ""):
                # Anything but a plain number is no answer or theme (0): refused with the reason.
                theme_id = None if choice == evaluation.NONE else id_from(choice)
                evaluation.code(s, run, id_from(request.form.get("code")), theme_id, current_user.id)
            else:
                unchosen = _("Choose a theme, or “None of these themes”.")
        except theme_edits.EditError as exc:
            s.rollback()
            abort(400, str(exc))
        if not unchosen:
            return redirect(url_for(".evaluate", slug=slug, run_id=run.id))
    total = evaluation.sample_size(s, run)
    pending = evaluation.next_uncoded(s, run)
    if pending is not None:
        # Blind: the answer and the list of theme names, never where the model put it.
        themes = theme_board.top_themes(s, run.id, by_label=True)
        return render_template("themes/evaluate_code.html", consultation=consultation, run=run,
                               form=form, code=pending, answer=s.get(Answer, pending.answer_id),
                               choices=_choices(themes), done=pending.position, total=total,
                               can_edit=current_user.can_build, error=unchosen,
                               error_list=[{"text": unchosen, "href": "#theme"}] if unchosen else []), \
            400 if unchosen else 200
    result = evaluation.results(s, run) if total else None
    return render_template("themes/evaluate.html", consultation=consultation, run=run, form=form,
                           result=result, strength=result and evaluation.agreement_strength(result["kappa"]),
                           size_pairs=[(n, _("%(count)s answers", count=n)) for n in SAMPLE_SIZES],
                           can_edit=current_user.can_build)
