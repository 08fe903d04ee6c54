"""The room display: live, aggregated results of a workshop for a projector. Never one person's answer."""

from __future__ import annotations

from flask import abort, current_app, jsonify, render_template
from flask_login import login_required

from surveys import room as figures
from surveys.models import Consultation

from ... import db
from ...groups import smallest_group
from ...i18n import current_language
from .. import bp
from ..access import can_watch, workshop_by_code

POLL_SECONDS = 3


def _load(code: str):
    workshop = workshop_by_code(code)
    if not can_watch(workshop.consultation_id):
        abort(403)
    consultation = db.session().get(Consultation, workshop.consultation_id)
    minimum = smallest_group(consultation)
    return workshop, consultation, figures.room_aggregates(db.session(), workshop, minimum,
                                                           current_language())


@bp.get("/room/<code>")
@login_required
def room(code: str):
    workshop, consultation, data = _load(code)
    return render_template("workshop/room.html", workshop=workshop, consultation=consultation,
                           data=data, poll=current_app.config.get("ROOM_POLL_SECONDS", POLL_SECONDS))


@bp.get("/room/<code>/data.json")
@login_required
def room_data(code: str):
    """The aggregates, and the same figures rendered, so the display updates without reloading."""
    workshop, consultation, data = _load(code)
    html = render_template("workshop/_room_body.html", workshop=workshop, data=data)
    response = jsonify(data=data, html=html)
    response.headers["Cache-Control"] = "no-store"
    return response
