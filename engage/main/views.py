"""Home page (open consultations), health check and the NHS.UK frontend's /assets path."""

from __future__ import annotations

from flask import current_app, render_template, send_from_directory
from sqlalchemy import text
from sqlmodel import select

from surveys.models import Consultation

from .. import db
from . import bp


@bp.get("/")
def home():
    consultations = db.session().exec(
        select(Consultation).where(Consultation.status == "open").order_by(Consultation.title)
    ).all()
    return render_template("main/home.html", consultations=consultations)


@bp.get("/health")
def health():
    db.session().exec(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/assets/<path:filename>")
def nhs_assets(filename: str):
    # The NHS.UK CSS refers to its icons under /assets/; serve the vendored copies there.
    return send_from_directory(current_app.static_folder + "/nhsuk/assets", filename,
                               max_age=86400)


@bp.get("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")
