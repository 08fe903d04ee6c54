"""Small helpers shared by the workspace views."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from surveys import builder
from surveys.builder import BuilderError
from surveys.models import CHANNELS

from .. import db
from ..audit import record
from .forms import EmptyForm, MoveForm


def refuse(form, error: BuilderError, fallback: str | None = None) -> None:
    """Undo anything the failed operation flushed, and show its message on the form."""
    db.session().rollback()
    name = error.field if error.field and error.field in form else fallback
    if name == "config":
        name = next((f.name for f in form if f.name.startswith("cfg_")), None)
    if name and name in form:
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors.append(error.message)


def stamp_form(form, consultation) -> None:
    """A builder edit form being opened carries the consultation's edit stamp (one sent keeps its own)."""
    if not form.is_submitted():
        form.edit_stamp.data = builder.edit_stamp(consultation)


def check_stamp(form, consultation) -> None:
    """Refuse (``BuilderError``) a builder edit form opened before the consultation's last edit."""
    sent = form.edit_stamp.raw_data
    builder.check_unchanged(db.session(), consultation, sent[0] if sent else None)


def form_page(form, heading: str, status: int | None = None, **context):
    """Render the generic form page; 400 when the form has errors (the request edge rolls back)."""
    code = status or (400 if form.errors or form.form_errors else 200)
    return render_template("facilitate/form.html", form=form, heading=heading, **context), code


def confirm_delete(consultation, kind: str, thing, delete, heading: str, intro: str, done: str):
    """A page asking to confirm a deletion; on confirmation, delete, audit and go back."""
    form = EmptyForm()
    overview = url_for(".overview", slug=consultation.slug)
    if form.validate_on_submit():
        s = db.session()
        try:
            delete(s, consultation, thing)
        except BuilderError as exc:
            refuse(form, exc)
        else:
            record(s, f"{kind}.delete", kind, thing.id, {"consultation": consultation.slug, "key": thing.key})
            flash(done, "success")
            return redirect(overview)
    return form_page(form, heading, consultation=consultation, intro=intro,
                     submit=DELETE_BUTTONS.get(kind, _l("Delete")), cancel=overview)


def move_one(consultation, kind: str, thing, move, anchor: str):
    """Move a page or question one place up or down (the overview's buttons), audit it and go back
    to it on the overview (``#anchor``); a move the builder refuses is flashed instead."""
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    overview = url_for(".overview", slug=consultation.slug)
    s = db.session()
    try:
        move(s, consultation, thing, -1 if form.direction.data == "up" else 1)
    except BuilderError as exc:
        s.rollback()
        flash(exc.message, "error")
        return redirect(overview), 303
    record(s, f"{kind}.move", kind, thing.id, {"consultation": consultation.slug, "key": thing.key,
                                               "direction": form.direction.data})
    return redirect(f"{overview}#{anchor}")


#: The confirm button on a deletion page, by what is deleted.
DELETE_BUTTONS = {"page": _l("Delete page"), "question": _l("Delete question")}


#: How each response reached us, in the page's language.
CHANNEL_NAMES = {key: _l(name) for key, name in CHANNELS.items()}

STATUS_CLASSES = {"draft": "nhsuk-tag--grey", "open": "nhsuk-tag--green", "closed": "nhsuk-tag--orange",
                  "archived": "nhsuk-tag--white"}
#: A consultation's status as staff read it, in the page's language.
STATUS_NAMES = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed"), "archived": _l("Archived")}


def template_globals() -> dict:
    from surveys.types import REGISTRY

    from .views.safeguarding import is_safeguarding_lead

    return {"status_classes": STATUS_CLASSES, "status_names": STATUS_NAMES, "qtypes": REGISTRY,
            "channel_names": CHANNEL_NAMES,
            "is_safeguarding_lead": is_safeguarding_lead}
