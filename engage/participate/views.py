"""Respondent journey views."""

from __future__ import annotations

from flask import abort, render_template
from sqlmodel import select

from surveys.models import Consultation

from .. import db
from . import bp


def open_consultation(slug: str) -> Consultation:
    consultation = db.session().exec(select(Consultation).where(Consultation.slug == slug)).first()
    if consultation is None or consultation.status in ("draft", "archived"):
        abort(404)
    return consultation


@bp.get("/<slug>/")
def start(slug: str):
    consultation = open_consultation(slug)
    return render_template("participate/start.html", consultation=consultation)
