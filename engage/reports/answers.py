"""The data exports of an analysis: answers with their themes as CSV and XLSX, and everything as JSON.

Only redacted text leaves the system, and every cell that a spreadsheet could run as a formula
is neutralised. Reached through ``engage.reports.export``, by the web routes and the command line.
"""

from __future__ import annotations

import csv
import io
import json

from surveys.models import AnalysisRun
from surveys.report_data import answer_rows
from surveys.theme_board import all_themes
from surveys.theme_runs import quote_texts

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["answer_id", "question", "answer", "theme", "segment", "channel", "safeguarding_flag"]


def safe_cell(value):
    """Prefix text a spreadsheet would treat as a formula with an apostrophe (OWASP advice), spaces
    or line breaks before it included: a spreadsheet that trims them on import ("Trim spaces" in
    LibreOffice) would run what follows."""
    if isinstance(value, str) and value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


#: Column widths (characters) of the workbook: the answer wide enough to read without widening.
WIDTHS = [11, 45, 90, 35, 14, 12, 18]


def lay_out(ws, header: list[str], widths: list[float]) -> None:
    """A workbook's first sheet as a reader expects it: the header row in bold, held in place while
    scrolling, and columns wide enough to read. Call before the first row (write-only sheets too)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=safe_cell(name))
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)


def csv_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """Answers with their themes as CSV: UTF-8 with a byte-order mark, as the responses download,
    so that Excel reads Welsh letters (ŵ, ŷ, â) and accents right instead of as 'Å·'."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([safe_cell(v) for v in row] for row in answer_rows(session, run))
    return out.getvalue().encode("utf-8")


def xlsx_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """Answers with their themes as an Excel workbook."""
    from openpyxl import Workbook  # here, not at import: it loads numpy into every web worker

    wb = Workbook()
    ws = wb.active
    ws.title = "Answers with themes"
    lay_out(ws, COLUMNS, WIDTHS)
    for row in answer_rows(session, run):
        ws.append([safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def json_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """The run, its themes and every answer with its theme, as JSON (UTF-8)."""
    themes = all_themes(session, run.id)
    quotes = quote_texts(session, themes)
    body = {
        "consultation": consultation.slug, "run": run.id, "metrics": run.metrics,
        "themes": [{"id": t.id, "parent": t.parent_id, "label": t.label, "description": t.description,
                    "keywords": t.keywords, "quotes": quotes[t.id], "sentiment": t.sentiment,
                    "reviewed": t.reviewed} for t in themes],
        "answers": [dict(zip(COLUMNS, row, strict=True)) for row in answer_rows(session, run)],
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
