"""Downloading every response as CSV or XLSX, with the filters of the responses pages (audited)."""

from __future__ import annotations

from flask import Response, abort, stream_with_context
from flask_login import login_required
from sqlmodel import Session

from surveys import response_export

from ... import db
from ...audit import record
from ...reports import responses as files
from .. import bp
from .responses import responses_context


@bp.get("/c/<slug>/responses/all.<fmt>")
@login_required
def export_responses(slug, fmt):
    if fmt not in files.MIMETYPES:
        abort(404)
    consultation, s, _questions, asked, _groups, filters = responses_context(slug)
    record(s, "responses.export", "consultation", consultation.id,
           {"format": fmt, "channel": filters.channel, "segment": filters.segment,
            "completed_only": filters.completed_only})
    rows = _rows(db.engine(), consultation, asked, filters, response_export.channel_names())
    # The request's context stays while the file streams: its answers are written in its language.
    return Response(stream_with_context(files.chunks(fmt, response_export.header(asked), rows)),
                    mimetype=files.MIMETYPES[fmt],
                    headers={"Content-Disposition":
                             f'attachment; filename="{files.filename(consultation.slug, fmt)}"'})


def _rows(engine, *args):
    """The rows, read in a session of their own: a streamed body outlives the request's session,
    and closing the download (or abandoning it) closes this one."""
    with Session(engine, expire_on_commit=False) as read:
        yield from response_export.rows(read, *args)
