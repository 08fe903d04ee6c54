"""Theme analysis views: start a run, watch it, read and edit the theme board."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from surveys import evaluation, theme_board, theme_edits, theme_runs
from surveys.models import AnalysisRun, Theme, utcnow
from surveys.summaries import opinion_changes
from surveys.theme_stance import theme_stances
from surveys.theme_tally import tallies
from surveys.types import get_type
from surveys.wording import N_, say

from ... import db, jobs, reading
from ...audit import record
from ...auth.access import consultation_or_refuse
from ...groups import smallest_group
from ...i18n import current_language
from ...jobs import add_job
from ...nhsuk import error_summary_items
from ...routing import id_from
from .. import bp
from ..forms import ActionForm, MergeForm, MoveForm, RenameForm, StartRunForm
from ..jobs import run_analysis

#: What the undo button says it will undo, by edit.
UNDO_NAMES = {"rename": N_("renaming a theme"), "review": N_("marking a theme reviewed"),
              "merge": N_("the merge"), "move": N_("moving an answer"), "create": N_("creating a theme"),
              "split": N_("the split"), "update": N_("adding new answers"),
              "accept": N_("adding the proposed theme"), "place": N_("putting answers in the nearest themes"),
              "broaden": N_("grouping into fewer, broader themes"),
              "narrow": N_("splitting into narrower themes")}
UNDO_OTHER = N_("change")


def _run(consultation, run_id: int) -> AnalysisRun:
    s = db.session()
    run = s.get(AnalysisRun, run_id)
    if run is None or run.consultation_id != consultation.id:
        abort(404)
    if run.status in {"queued", "running"} or run.metrics.get("busy"):
        # Whoever looks first finds a job whose worker died (and, with Redis, hands over jobs
        # that waited while it was away).
        jobs.check(current_app, s)  # marks this run failed (same object) if its job was lost
        theme_runs.fail_if_stale(s, run)
    return run


def _named(consultation, questions, analysable=None) -> list[tuple]:
    """``(question, name, lang)`` for each question: its prompt, "(reasons)" after a trade-off's
    reasons, in the language its wording is read in (``reading.asked``: a question not given in
    the page's language in full is named as written, in English, with English words around it),
    and the language to mark it with. A question asked at the start and again at the end is told
    apart by "at the start" and "at the end", as the exports name them, in the same brackets.
    ``analysable`` is the consultation's analysable questions where the caller has read them."""
    if analysable is None:
        analysable = theme_runs.analysable_questions(db.session(), consultation)
    repeated = {q.repeat_of_id for q in analysable if q.repeat_of_id}
    out = []
    for a in reading.asked(consultation, questions):
        lang = reading.lang_of(a)  # (read before the words switch language)
        with reading.in_words_of(a):
            q, prompt = a.question, a.question.prompt
            when = "end" if q.repeat_of_id else "start" if q.id in repeated else None
            if get_type(q.type).text_is_reason:
                name = (_("%(prompt)s (reasons given at the end)", prompt=prompt) if when == "end" else
                        _("%(prompt)s (reasons given at the start)", prompt=prompt) if when else
                        _("%(prompt)s (reasons)", prompt=prompt))
            else:
                name = (_("%(name)s (at the end)", name=prompt) if when == "end" else
                        _("%(name)s (at the start)", name=prompt) if when else prompt)
            out.append((q, name, lang))
    return out


def refuse_while_placing(run: AnalysisRun) -> None:
    """No edit while answers are being placed in the background: it works on the themes as they
    were when it started."""
    if run.metrics.get("busy"):
        abort(409, _(theme_runs.BUSY))


@bp.route("/", methods=["GET", "POST"])
@login_required
def index(slug: str):
    consultation = consultation_or_refuse(slug, edit=request.method == "POST")
    s = db.session()
    questions = theme_runs.analysable_questions(s, consultation)
    form = StartRunForm()
    # Each label in one language, marked if English (as the board lists the questions analysed).
    named = _named(consultation, questions, questions)
    form.questions.choices = [(q.id, name) for q, name, _lang in named]
    languages = {q.id: lang for q, _name, lang in named}
    if form.validate_on_submit():
        params = {"n_themes": form.n_themes.data, "seed": 0}
        run = theme_runs.start_run(s, consultation, form.questions.data, params, current_user.id)
        record(s, "analysis.start", "analysis_run", run.id, {"questions": form.questions.data})
        add_job(s, run_analysis, run.id)  # saved with the run, started once both are committed
        s.commit()
        return redirect(url_for(".run", slug=slug, run_id=run.id))
    runs = theme_board.runs_of(s, consultation.id)
    return render_template("themes/index.html", consultation=consultation, form=form, runs=runs,
                           languages=languages, can_edit=current_user.can_build), \
        (400 if form.errors else 200)


@bp.get("/<id:run_id>")
@login_required
def run(slug: str, run_id: int):
    consultation = consultation_or_refuse(slug)
    run = _run(consultation, run_id)
    if run.status != "done":
        return render_template("themes/progress.html", consultation=consultation, run=run,
                               step=theme_runs.step_name(run), error=theme_runs.failure(run),
                               form=ActionForm(), can_edit=current_user.can_build)
    return show_board(consultation, run)


#: Where the board says why an edit was refused, by action, when the edit's own field is not on the
#: page (the undo button is gone once there is nothing to undo; a proposal taken, its card).
BOARD_ERROR, WAITING_ERROR = "board-error", "waiting-error"


def show_board(consultation, run: AnalysisRun, action: str | None = None, refused: str | None = None,
               typed: str = ""):
    """The theme board of a finished run; with an edit ``action`` that was ``refused``, 400 and the
    reason said at the top and beside the edit's field, with the name ``typed`` for a new theme kept."""
    s = db.session()
    questions = theme_board.run_questions(s, run)
    last = theme_edits.last_edit(s, run)
    minimum = smallest_group(consultation)
    waiting = theme_runs.waiting_on_board(s, run)
    broader = theme_edits.broader_counts(s, run)
    field = None
    if refused:
        field = ("new-theme" if action == "create" else
                 "broader-count" if action == "broaden" and broader else
                 WAITING_ERROR if action in ("accept", "place") and waiting["total"] else BOARD_ERROR)
    return render_template("themes/board.html", consultation=consultation, run=run,
                           last_edit=_(UNDO_NAMES.get(last.action, UNDO_OTHER)) if last else None,
                           last_edit_id=last.id if last else None,
                           rows=theme_board.board(s, run.id, minimum, current_language()),
                           minimum=minimum,
                           questions=_named(consultation, questions),
                           waiting=waiting, broader=broader,
                           busy=bool(run.metrics.get("busy")), told=_recent(run.metrics.get("told")),
                           cleaning=run.metrics.get("model_cleaning") and _(theme_runs.MODEL_CLEANING),
                           narrower=theme_board.narrower_counts(s, run),
                           agreement=evaluation.summary(s, run),
                           refused={"field": field, "text": refused} if refused else None, typed=typed,
                           error_list=[{"text": refused, "href": f"#{field}"}] if refused else [],
                           can_edit=current_user.can_build, action_form=ActionForm()), \
        (400 if refused else 200)


def _recent(told: dict | None) -> dict | None:
    """What placing answers in the background last said, for a few minutes after it finished."""
    if not told or "message" not in told:
        return None
    if datetime.fromisoformat(told["at"]) < utcnow() - timedelta(minutes=10):
        return None
    # Kept untranslated (surveys.wording.said): shown in the reader's language.
    return {**told, "message": say(told["message"])}


@bp.get("/<id:run_id>/status.json")
@login_required
def status(slug: str, run_id: int):
    run = _run(consultation_or_refuse(slug), run_id)
    return {"status": run.status, "step": theme_runs.step_name(run), "progress": round(run.progress, 3),
            "error": theme_runs.failure(run), "busy": bool(run.metrics.get("busy"))}


@bp.post("/<id:run_id>/retry")
@login_required
def retry(slug: str, run_id: int):
    consultation = consultation_or_refuse(slug, edit=True)
    old = _run(consultation, run_id)
    if not ActionForm().validate() or old.status != "failed":
        abort(400, _("Only a failed analysis can be tried again."))
    s = db.session()
    run = theme_runs.start_run(s, consultation, old.question_ids, old.params, current_user.id)
    record(s, "analysis.retry", "analysis_run", run.id, {"retry_of": old.id})
    add_job(s, run_analysis, run.id)
    s.commit()
    return redirect(url_for(".run", slug=slug, run_id=run.id))


@bp.route("/<id:run_id>/t/<id:theme_id>", methods=["GET", "POST"])
@login_required
def theme(slug: str, run_id: int, theme_id: int):
    consultation = consultation_or_refuse(slug, edit=request.method == "POST")
    run = _run(consultation, run_id)
    s = db.session()
    theme = s.get(Theme, theme_id)
    if theme is None or theme.run_id != run.id:
        abort(404)
    if theme.parent_id is not None:  # a sub-theme is read and edited on its theme's page
        if request.method == "POST":  # sent from a page loaded before it became one: said, not lost
            flash(_("“%(theme)s” is now part of the theme “%(parent)s”, so nothing was changed. Make "
                    "your change again here if you still want it.", theme=theme.label,
                    parent=s.get(Theme, theme.parent_id).label), "info")
        return redirect(url_for(".theme", slug=slug, run_id=run.id, theme_id=theme.parent_id))
    others = theme_board.top_themes(s, run.id, besides=theme.id)
    rename = RenameForm(obj=theme, prefix="rename")
    merge = MergeForm(prefix="merge")
    move = MoveForm(prefix="move")
    # Each list starts with no theme chosen: set to the first theme, pressing "Move" or "Merge"
    # without choosing would move the answer (or merge this theme) there.
    choices = [(t.id, t.label) for t in others]
    merge.target.choices = move.target.choices = [("", _("Choose a theme")), *choices] if choices else []
    action = request.form.get("action")
    if request.method == "POST":
        refuse_while_placing(run)
    try:
        if action == "rename" and rename.validate_on_submit():
            before = theme_edits.rename_theme(s, run, theme.id, rename.label.data,
                                              rename.description.data, current_user.id)
            record(s, "theme.rename", "theme", theme.id, {"before": before, "after": rename.label.data,
                                                         "run": run.id})
            flash(_("Theme renamed."), "success")
            return redirect(request.url)
        if action == "merge" and merge.validate_on_submit():
            detail = theme_edits.merge_themes(s, run, theme.id, merge.target.data, current_user.id)
            record(s, "theme.merge", "theme", merge.target.data, {**detail, "run": run.id})
            flash(_("Merged “%(merged)s” into “%(into)s”.", merged=detail["merged"], into=detail["into"]),
                  "success")
            return redirect(url_for(".theme", slug=slug, run_id=run.id, theme_id=merge.target.data))
        if action == "move" and move.validate_on_submit():
            detail = theme_edits.move_answer(s, run, _answer_id(move.answer.data), move.target.data,
                                             current_user.id)
            record(s, "theme.move_answer", "theme", theme.id, {**detail, "run": run.id})
            flash(_("Answer moved."), "success")
            return redirect(request.url)
        if action == "review" and ActionForm().validate():
            detail = theme_edits.set_reviewed(s, run, theme.id, not theme.reviewed, current_user.id)
            record(s, "theme.review", "theme", theme.id, {**detail, "run": run.id})
            return redirect(request.url)
    except theme_edits.EditError as exc:
        s.rollback()
        # Said beside the field it is about, with what was typed kept (a name another theme has).
        field = {"rename": rename.label, "merge": merge.target, "move": move.target}.get(action)
        if field is None:
            abort(400, str(exc))
        field.errors = [*field.errors, str(exc)]
    search = request.args.get("q", "")[:200]
    page = max(1, min(request.args.get("page", 1, type=int), 100_000))
    tally = tallies(s, run)
    counted = tally.themes.get(theme.id)  # (none for a sub-theme)
    answers, total = theme_board.theme_answers(s, theme.id, search, page,
                                               counted["answers"] if counted and not search else None)
    subthemes = theme_board.subthemes(s, theme.id)
    quotes = theme_runs.quote_texts(s, [theme, *subthemes])
    stance = theme_stances(s, run, smallest_group(consultation), current_language(), tally).get(theme.id, [])
    stance = stance[:1]
    feeling = theme_runs.feeling_text(theme_runs.feeling_shares(counted["feelings"]) if counted else
                                      theme_runs.sentiment_shares(s, [theme.id]).get(theme.id))
    failed = rename.errors or merge.errors or move.errors
    moving = _failed_move(move, {row[0] for row in answers})
    error_list = [item for f in (rename, merge) for item in error_summary_items(f)]
    if moving:
        where = f"#move-target-{moving[0]}" if moving[0] is not None else "#answers"
        error_list.append({"text": moving[1], "href": where})
    return render_template("themes/theme.html", consultation=consultation, run=run, theme=theme,
                           error_list=error_list,
                           subthemes=subthemes, quotes=quotes, feeling=feeling, stance=stance,
                           answers=answers, group_names=theme_board.group_names(s, consultation.id,
                                                                                current_language()),
                           total=total, page=page,
                           pages=max(1, -(-total // theme_board.PAGE_SIZE)), search=search,
                           rename=rename, merge=merge, move=move, moving=moving, action_form=ActionForm(),
                           can_edit=current_user.can_build), (400 if failed else 200)


def _answer_id(value: str | None) -> int:
    """The answer a "Move this answer to" form names; 0 (no answer's id) for anything else, which
    moving refuses as not in this analysis, so a broken form is said plainly and changes nothing."""
    return id_from(value)


def _failed_move(move: MoveForm, listed: set[int]) -> tuple[int | None, str] | None:
    """``(answer id, message)`` when moving an answer was refused: every answer on the page has its
    own "Move this answer to" list, so the message goes on the one that was sent, not all of them.
    The id is None when that answer is not on the page (the form was sent without one, or with an
    answer of another analysis): the message then points to the list of answers."""
    errors = move.target.errors or move.answer.errors
    if not errors:
        return None
    answer = _answer_id(move.answer.data)
    return (answer if answer in listed else None), errors[0]


@bp.get("/<id:run_id>/matrix")
@login_required
def matrix(slug: str, run_id: int):
    consultation = consultation_or_refuse(slug)
    run = _run(consultation, run_id)
    minimum = smallest_group(consultation)
    s = db.session()
    changes = opinion_changes(s, consultation, minimum)
    blocks = []
    # Each trade-off asked again wholly in the language its wording is read in (reading.asked).
    for change, a in zip(changes, reading.asked(consultation, [c["question"] for c in changes]), strict=True):
        lang = reading.lang_of(a)  # (read before the words switch language)
        with reading.in_words_of(a):
            blocks.append(Markup(render_template(  # noqa: S704 - a template of ours, autoescaped
                "themes/_change.html", c={**change, "question": a.question}, lang=lang, minimum=minimum)))
    return render_template("themes/matrix.html", consultation=consultation, run=run,
                           matrix=theme_board.theme_segment_matrix(s, run, minimum, current_language()),
                           minimum=minimum,
                           stances=theme_stances(s, run, minimum, current_language()),
                           changes=blocks)
