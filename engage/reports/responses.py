"""Every response as CSV or XLSX, one person a row (rows from ``surveys.response_export``).

For the web download and ``engage export responses`` alike. CSV comes in chunks, so a large
consultation never sits in memory; XLSX is written row by row to a temporary file (openpyxl's
write-only mode). Every cell a spreadsheet could run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime

from surveys.wording import gettext as _

from .answers import lay_out, safe_cell

MIMETYPES = {"csv": "text/csv",  # Werkzeug adds "; charset=utf-8" to a text type
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CHUNK_ROWS = 500
TIME_FORMAT = "%Y-%m-%d %H:%M"


def filename(slug: str, fmt: str) -> str:
    return f"{slug}-responses.{fmt}"


def chunks(fmt: str, header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The file's bytes in pieces, for ``fmt`` "csv" or "xlsx"."""
    return _csv(header, rows) if fmt == "csv" else _file_chunks(_xlsx(header, rows))


def _csv(header, rows) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so Excel reads accents and Welsh letters right."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow([safe_cell(h) for h in header])  # question prompts are written by people too
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(_text(v)) for v in row])
        if n % CHUNK_ROWS == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def _xlsx(header, rows):
    from openpyxl import Workbook  # here, not at import: it loads numpy into every web worker

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Responses")[:31])  # in the facilitator's language, as the headings
    # Who, how, when (number, channel, group, language, started, submitted), then the questions.
    lay_out(ws, header, ([12, 12, 30, 9, 17, 17] + [40] * len(header))[:len(header)])
    for row in rows:
        ws.append([_moment(ws, v) if isinstance(v, datetime) else safe_cell(v) for v in row])
    spool = tempfile.TemporaryFile()
    wb.save(spool)
    spool.seek(0)
    return spool


def _text(value):
    """A cell's value as a CSV writes it: times as 2026-11-29 14:05."""
    return value.strftime(TIME_FORMAT) if isinstance(value, datetime) else value


def _moment(ws, value: datetime):
    """A time a spreadsheet can sort and filter by, shown as in the CSV."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def _file_chunks(file, size: int = 256 * 1024) -> Iterator[bytes]:
    """The file's bytes, closing it when they are sent (or the download is abandoned)."""
    with file:
        while chunk := file.read(size):
            yield chunk
