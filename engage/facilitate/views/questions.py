"""Builder views for questions of every type: add, edit (wording only once open), delete, reorder."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from surveys import builder, consultations
from surveys.builder import BuilderError
from surveys.models import Page, Question
from surveys.types import REGISTRY

from ... import db
from ...audit import record
from ...auth.access import consultation_or_refuse
from .. import bp
from ..common import check_stamp, confirm_delete, form_page, move_one, refuse, stamp_form
from ..forms import TypeForm, question_form_class
from ..rows import RowsField, row_action
from .pages import page_or_404


def question_or_404(consultation, key: str) -> Question:
    q = consultations.question_by_key(db.session(), consultation.id, key)
    if q is None:
        abort(404)
    return q


def _repeat_choices(form, consultation, type_name: str, exclude: Question | None = None) -> None:
    """Earlier questions of the same type to repeat; no choice at all when there are none."""
    qs = [q for q in builder.questions_of(db.session(), consultation)
          if q.type == type_name and (exclude is None or q.id != exclude.id)]
    if not qs and not (exclude is not None and exclude.repeat_of_id):
        del form.repeat_of
        return
    form.repeat_of.choices = [("", _("Not a repeat"))] + [(q.key, q.prompt[:120]) for q in qs]


def _values(form) -> dict:
    return {"prompt": form.prompt.data.strip(), "hint": (form.hint.data or "").strip(),
            "required": bool(form.required.data), "config": form.to_config(),
            "repeat_of": form.repeat_of.data or None if "repeat_of" in form else None,
            "is_segment": "is_segment" in form and bool(form.is_segment.data)}


def _rows_changed(form) -> bool:
    """A rows button (add, remove, move) sent the form: show it again, changed, with nothing saved."""
    return form.is_submitted() and row_action(form, request.form)


@bp.route("/c/<slug>/pages/<key>/questions/new", methods=["GET", "POST"])
@login_required
def question_new(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    page = page_or_404(consultation, key)
    back = (url_for(".overview", slug=slug), _("Back to the consultation"))
    type_name = request.args.get("type", "")
    if type_name not in REGISTRY:
        # First step: choose the type (GET, so it needs no saving and no token).
        form = TypeForm(request.args, meta={"csrf": False})
        if "type" in request.args:
            form.validate()
        return form_page(form, _("What type of question?"), consultation=consultation, back=back,
                         submit=_("Continue"), method="get")
    form = question_form_class(type_name)()
    _repeat_choices(form, consultation, type_name)
    if not form.is_submitted():
        for field in form:
            if isinstance(field, RowsField) and field.required:
                field.fill([""] * field.min_rows)  # boxes ready for the fewest options it takes
    if _rows_changed(form):
        return form_page(form, _("Add a question: %(type)s", type=_(REGISTRY[type_name].title).lower()),
                         consultation=consultation, back=back, submit=_("Add question"))
    if form.validate_on_submit():
        s = db.session()
        try:
            values = _values(form)
            q = builder.add_question(s, consultation, page, form.key.data, type_name, values["prompt"],
                                     values["hint"], values["required"], values["config"],
                                     values["repeat_of"], values["is_segment"])
        except BuilderError as exc:
            refuse(form, exc)
        else:
            record(s, "question.create", "question", q.id, {"consultation": slug, "key": q.key,
                                                            "type": type_name})
            flash(_("Question added."), "success")
            return redirect(url_for(".overview", slug=slug) + f"#page-{page.key}")
    return form_page(form, _("Add a question: %(type)s", type=_(REGISTRY[type_name].title).lower()),
                     consultation=consultation, back=back, submit=_("Add question"))


@bp.route("/c/<slug>/questions/<key>/edit", methods=["GET", "POST"])
@login_required
def question_edit(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    q = question_or_404(consultation, key)
    frozen = builder.is_frozen(consultation)
    form = question_form_class(q.type, editing=True)(obj=q)
    _repeat_choices(form, consultation, q.type, exclude=q)
    stamp_form(form, consultation)
    if not form.is_submitted():
        form.fill(q.config)
        original = db.session().get(Question, q.repeat_of_id) if q.repeat_of_id else None
        if "repeat_of" in form:
            form.repeat_of.data = original.key if original else ""
    for field in form:
        if isinstance(field, RowsField):
            field.fixed = frozen  # once open, options are reworded only
    heading = _("Edit question: %(prompt)s", prompt=q.prompt[:80])
    back = (url_for(".overview", slug=slug) + f"#question-{q.key}", _("Back to the consultation"))
    if _rows_changed(form):
        return form_page(form, heading, consultation=consultation, frozen=frozen, back=back)
    if form.validate_on_submit():
        s = db.session()
        try:
            check_stamp(form, consultation)
            changes = builder.update_question(s, consultation, q, **_values(form))
        except BuilderError as exc:
            refuse(form, exc)
        else:
            if changes:
                record(s, "question.wording_fix" if frozen else "question.update", "question", q.id,
                       {"consultation": slug, "key": q.key, "changes": changes,
                        "version": consultation.version})
            flash(_("Question saved."), "success")
            page = s.get(Page, q.page_id)
            return redirect(url_for(".overview", slug=slug) + f"#page-{page.key}")
    return form_page(form, heading, consultation=consultation, frozen=frozen, back=back)


@bp.route("/c/<slug>/questions/<key>/delete", methods=["GET", "POST"])
@login_required
def question_delete(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    q = question_or_404(consultation, key)
    return confirm_delete(consultation, "question", q, builder.delete_question,
                          _("Delete the question %(key)s?", key=q.key), q.prompt, _("Question deleted."))


@bp.post("/c/<slug>/questions/<key>/move")
@login_required
def question_move(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    q = question_or_404(consultation, key)
    page = db.session().get(Page, q.page_id)
    return move_one(consultation, "question", q, builder.move_question, f"page-{page.key}")
