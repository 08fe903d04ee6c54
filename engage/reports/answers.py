"""The data exports of an analysis: answers with their themes as CSV and XLSX, and everything as JSON.

Only redacted text leaves the system, and every cell that a spreadsheet could run as a formula
is neutralised. Reached through ``engage.reports.export``, by the web routes and the command line.
"""

from __future__ import annotations

import csv
import io
import json

from sqlmodel import select

from surveys.models import AnalysisRun, Answer, Question, Respondent, Theme, ThemeAssignment
from surveys.theme_runs import quote_texts

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["answer_id", "question", "answer", "theme", "segment", "channel", "safeguarding_flag"]


def safe_cell(value):
    """Prefix text a spreadsheet would treat as a formula with an apostrophe (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_rows(session, run: AnalysisRun):
    themes = {t.id: t.label for t in session.exec(select(Theme).where(Theme.run_id == run.id))}
    rows = session.exec(
        select(Answer.id, Question.prompt, Answer.text_redacted, ThemeAssignment.theme_id,
               Respondent.segment, Respondent.channel, Answer.safeguarding)
        .join(Question, Question.id == Answer.question_id)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .outerjoin(ThemeAssignment, (ThemeAssignment.answer_id == Answer.id)
                   & (ThemeAssignment.run_id == run.id))
        .where(Answer.question_id.in_(run.question_ids), Respondent.submitted_at.is_not(None),
               Answer.text_redacted.is_not(None))
        .order_by(Answer.id)).all()
    for aid, prompt, text, theme_id, segment, channel, flag in rows:
        yield [aid, prompt, text, themes.get(theme_id, "No theme"), segment or "", channel,
               "yes" if flag else ""]


def csv_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """Answers with their themes as CSV (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([safe_cell(v) for v in row] for row in export_rows(session, run))
    return out.getvalue().encode("utf-8")


def xlsx_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """Answers with their themes as an Excel workbook."""
    from openpyxl import Workbook  # here, not at import: it loads numpy into every web worker

    wb = Workbook()
    ws = wb.active
    ws.title = "Answers with themes"
    ws.append(COLUMNS)
    for row in export_rows(session, run):
        ws.append([safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def json_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """The run, its themes and every answer with its theme, as JSON (UTF-8)."""
    themes = session.exec(select(Theme).where(Theme.run_id == run.id).order_by(Theme.position)).all()
    quotes = quote_texts(session, themes)
    body = {
        "consultation": consultation.slug, "run": run.id, "metrics": run.metrics,
        "themes": [{"id": t.id, "parent": t.parent_id, "label": t.label, "description": t.description,
                    "keywords": t.keywords, "quotes": quotes[t.id], "sentiment": t.sentiment,
                    "reviewed": t.reviewed} for t in themes],
        "answers": [dict(zip(COLUMNS, row, strict=True)) for row in export_rows(session, run)],
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
