"""Home page (open consultations), health check and the NHS.UK frontend's /assets path."""

from __future__ import annotations

from flask import current_app, render_template, send_from_directory

from surveys import consultations, job_queue, outbox
from surveys.translations import localise_consultation

from .. import db, preflight
from ..i18n import current_language
from . import bp


@bp.get("/")
def home():
    # Each in the reader's language where it is offered in it (else its English, marked so).
    shown = [localise_consultation(c, current_language()) for c in consultations.open_ones(db.session())]
    return render_template("main/home.html", consultations=shown)


@bp.get("/health")
def health():
    """For load balancers and monitoring: 200 while respondents can be served (the database
    answers, at the right schema); 503 otherwise. A queue problem is reported but keeps 200:
    answers are still saved, and jobs wait in the database until Redis is back."""
    app = current_app._get_current_object()
    report = {"status": "ok"}
    try:
        report["database"] = {"status": "ok", "revision": preflight.database(app)}
    except preflight.NotReady as exc:
        return {"status": "unavailable", "database": {"status": "failing", "detail": str(exc)}}, 503
    try:
        report["queue"] = {"status": "ok", "backend": preflight.queue(app)}
    except preflight.NotReady as exc:
        report["status"] = "degraded"
        report["queue"] = {"status": "failing", "backend": "redis", "detail": str(exc)}
    report["queue"]["waiting"] = job_queue.waiting(db.session())
    return report


@bp.get("/assets/<path:filename>")
def nhs_assets(filename: str):
    # The NHS.UK CSS refers to its icons under /assets/; serve the vendored copies there.
    return send_from_directory(current_app.static_folder + "/nhsuk/assets", filename,
                               max_age=86400)


@bp.get("/privacy")
def privacy():
    # The words say how long an email that could not be sent keeps its address: the purge's rule.
    return render_template("main/privacy.html", failed_days=outbox.KEEP_FAILED.days)


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")
