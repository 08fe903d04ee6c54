"""Responses view (placeholder until the summaries land)."""

from flask import render_template
from flask_login import login_required

from ..auth.access import consultation_or_refuse
from . import bp


@bp.get("/c/<slug>/responses")
@login_required
def responses(slug):
    consultation = consultation_or_refuse(slug)
    return render_template("facilitate/index.html", consultations=[consultation])
