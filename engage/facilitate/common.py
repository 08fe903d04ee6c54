"""Small helpers shared by the workspace views."""

from __future__ import annotations

from flask import render_template

from surveys.builder import BuilderError

from .. import db


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


def form_page(form, heading: str, status: int | None = None, **context):
    """Render the generic form page; 400 when the form has errors (the request edge rolls back)."""
    code = status or (400 if form.errors or form.form_errors else 200)
    return render_template("facilitate/form.html", form=form, heading=heading, **context), code


STATUS_CLASSES = {"draft": "nhsuk-tag--grey", "open": "nhsuk-tag--green", "closed": "nhsuk-tag--orange",
                  "archived": "nhsuk-tag--white"}


def template_globals() -> dict:
    from surveys.types import REGISTRY

    from .safeguarding import is_safeguarding_lead

    return {"status_classes": STATUS_CLASSES, "qtypes": REGISTRY,
            "is_safeguarding_lead": is_safeguarding_lead}
