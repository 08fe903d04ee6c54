"""The theme summary report of an analysis run, as DOCX or PDF, for a board paper."""

from __future__ import annotations

from flask_login import login_required

from .. import db
from ..audit import record
from ..groups import smallest_group
from ..reports import export
from . import bp
from .exports import _download, _load


def _report(slug: str, run_id: int, fmt: str):
    consultation, run = _load(slug, run_id)
    minimum = smallest_group(consultation)
    result = export(db.session(), consultation, run, fmt, minimum)
    record(db.session(), f"export.{fmt}", "analysis_run", run.id)
    return _download(result.body, result.mimetype, result.filename)


@bp.get("/<int:run_id>/report.docx")
@login_required
def report_docx(slug: str, run_id: int):
    return _report(slug, run_id, "docx")


@bp.get("/<int:run_id>/report.pdf")
@login_required
def report_pdf(slug: str, run_id: int):
    return _report(slug, run_id, "pdf")
