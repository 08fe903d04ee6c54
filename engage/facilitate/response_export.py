"""Downloading every response as CSV or XLSX, with the filters of the responses pages.

The rows come from ``surveys.response_export``; here they are only written out. CSV streams, so a
large consultation never sits in a web worker's memory; XLSX is written row by row to a temporary
file (openpyxl's write-only mode). Every cell a spreadsheet could run as a formula is neutralised,
and every download is audited.
"""

from __future__ import annotations

import csv
import io
import tempfile

from flask import Response, abort
from flask_login import login_required
from sqlmodel import Session

from surveys import response_export
from surveys.models import CHANNELS

from .. import db
from ..audit import record
from ..reports.answers import safe_cell
from . import bp
from .responses import _context

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/c/<slug>/responses/all.<fmt>")
@login_required
def export_responses(slug, fmt):
    if fmt not in MIMETYPES:
        abort(404)
    consultation, s, questions, segment_labels, filters = _context(slug)
    record(s, "responses.export", "consultation", consultation.id,
           {"format": fmt, "channel": filters.channel, "segment": filters.segment,
            "completed_only": filters.completed_only})
    header = response_export.header(questions)
    rows = _rows(db.engine(), consultation, questions, filters, segment_labels)
    name = f"{consultation.slug}-responses.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return Response(_csv(header, rows), mimetype=MIMETYPES["csv"], headers=disposition)
    return Response(_chunks(_xlsx(header, rows)), mimetype=MIMETYPES["xlsx"], headers=disposition)


def _rows(engine, *args):
    """The rows, read in a session of their own: a streamed body outlives the request's session,
    and closing the download (or abandoning it) closes this one."""
    with Session(engine, expire_on_commit=False) as read:
        yield from response_export.rows(read, *args, CHANNELS)


def _csv(header, rows):
    """CSV text in chunks of a few hundred rows, with a byte-order mark so Excel reads UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(v) for v in row])
        if n % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _xlsx(header, rows):
    from openpyxl import Workbook  # here, not at import: it loads numpy into every web worker

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Responses")
    ws.append(header)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    spool = tempfile.TemporaryFile()
    wb.save(spool)
    spool.seek(0)
    return spool


def _chunks(file, size: int = 256 * 1024):
    """The file's bytes, closing it when they are sent (or the download is abandoned)."""
    with file:
        while chunk := file.read(size):
            yield chunk
