"""Downloads of an analysis: the theme report (DOCX, PDF) and the data (CSV, XLSX, JSON).

Every format goes through ``engage.reports.export``, the same path as ``engage export report``.
"""

from __future__ import annotations

from flask import Response, abort
from flask_login import login_required

from surveys.models import AnalysisRun

from ... import db
from ...audit import record
from ...auth.access import consultation_or_refuse
from ...groups import smallest_group
from ...reports import export
from .. import bp


def _download(slug: str, run_id: int, fmt: str) -> Response:
    consultation = consultation_or_refuse(slug)
    run = db.session().get(AnalysisRun, run_id)
    if run is None or run.consultation_id != consultation.id or run.status != "done":
        abort(404)
    result = export(db.session(), consultation, run, fmt, smallest_group(consultation))
    record(db.session(), f"export.{fmt}", "analysis_run", run.id)
    return Response(result.body, mimetype=result.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{result.filename}"'})


@bp.get("/<id:run_id>/answers.csv")
@login_required
def export_csv(slug: str, run_id: int):
    return _download(slug, run_id, "csv")


@bp.get("/<id:run_id>/answers.xlsx")
@login_required
def export_xlsx(slug: str, run_id: int):
    return _download(slug, run_id, "xlsx")


@bp.get("/<id:run_id>/analysis.json")
@login_required
def export_json(slug: str, run_id: int):
    return _download(slug, run_id, "json")


@bp.get("/<id:run_id>/report.docx")
@login_required
def report_docx(slug: str, run_id: int):
    return _download(slug, run_id, "docx")


@bp.get("/<id:run_id>/report.pdf")
@login_required
def report_pdf(slug: str, run_id: int):
    return _download(slug, run_id, "pdf")
