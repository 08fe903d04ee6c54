"""Reports and exports of an analysis run: the theme summary report (DOCX, PDF) and the data exports.

``export(session, consultation, run, fmt, minimum)`` returns the file's bytes, type and name, for the
web routes and the command line alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from surveys.models import AnalysisRun, Consultation, utcnow

from . import answers

FORMATS = ("docx", "pdf", "csv", "xlsx", "json")
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Export:
    body: bytes
    mimetype: str
    filename: str


def report(session: Session, consultation: Consultation, run: AnalysisRun, fmt: str, minimum: int) -> bytes:
    """The theme summary report as DOCX or PDF bytes, in the language of the request being served
    (the facilitator's), English elsewhere (the command line)."""
    from surveys import report_data

    from ..i18n import uk_time
    from . import content
    from .style import language

    # Dated as on UK clocks: between midnight and 1am in summer the server's UTC date is yesterday's.
    data = report_data.gather(session, consultation, run, minimum, language=language(),
                              today=uk_time(utcnow()).date())
    blocks = content.build(data)
    if fmt == "docx":
        from .docx import render
    elif fmt == "pdf":
        from .pdf import render
    else:
        raise ValueError(f"Unknown report format {fmt!r}")
    return render(blocks, data.consultation_title)


def export(session: Session, consultation: Consultation, run: AnalysisRun, fmt: str,
           minimum: int) -> Export:
    """Any export of a finished run, by format name."""
    slug = consultation.slug
    if fmt in ("docx", "pdf"):
        body = report(session, consultation, run, fmt, minimum)
        name = f"{slug}-theme-report-{run.id}.{fmt}"
    elif fmt == "csv":
        body, name = answers.csv_bytes(session, consultation, run), f"{slug}-themes-{run.id}.csv"
    elif fmt == "xlsx":
        body, name = answers.xlsx_bytes(session, consultation, run), f"{slug}-themes-{run.id}.xlsx"
    elif fmt == "json":
        body, name = answers.json_bytes(session, consultation, run), f"{slug}-analysis-{run.id}.json"
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    return Export(body, MIMETYPES[fmt], name)
