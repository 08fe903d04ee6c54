"""The data exports of an analysis: answers with their themes as CSV and XLSX, and everything as JSON.

The spreadsheets are for people (a board paper, a filter in Excel): headings a person writes and
values in words, in the facilitator's language, the consultation's words as the responses download
gives them. The JSON is for programs: its keys and values (group and channel keys) stay as they are.
Only redacted text leaves the system, and every cell that a spreadsheet could run as a formula
is neutralised. Reached through ``engage.reports.export``, by the web routes and the command line.
"""

from __future__ import annotations

import csv
import io
import json

from surveys.evaluation import summary as blind_check
from surveys.models import AnalysisRun
from surveys.report_data import AnswerRow, analysed_counts, answer_rows, later_sentence
from surveys.response_export import channel_names
from surveys.theme_board import all_themes
from surveys.theme_runs import FEELING_WORDS, quote_texts
from surveys.wording import N_
from surveys.wording import gettext as _

from .style import language

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The JSON's keys for an answer, which programs read (the spreadsheets name them for people);
#: keys added later come last.
COLUMNS = ["answer_id", "question", "answer", "theme", "segment", "channel", "safeguarding_flag",
           "respondent_id", "subtheme", "sentiment"]
#: The spreadsheets' headings (translate where written: ``_(HEADINGS[i])``). The respondent's
#: number joins a row to the responses download, to set a theme against any other answer.
HEADINGS = [N_("Answer number"), N_("Respondent number"), N_("Question"), N_("Answer"), N_("Theme"),
            N_("Sub-theme"), N_("Feeling"), N_("Group"), N_("Channel"), N_("Flagged for safeguarding")]


#: Control characters a workbook cannot hold (openpyxl refuses the whole file over one): a line or
#: page break pasted from Word becomes a line break, any other is dropped.
CONTROL = {**{code: None for code in (*range(0x00, 0x09), *range(0x0E, 0x20))}, 0x0B: "\n", 0x0C: "\n"}


def safe_cell(value):
    """Text as a spreadsheet can hold it and will not run it: control characters out (see
    ``CONTROL``), and text a spreadsheet would treat as a formula prefixed with an apostrophe
    (OWASP advice), spaces or line breaks before it included: a spreadsheet that trims them on
    import ("Trim spaces" in LibreOffice) would run what follows."""
    if not isinstance(value, str):
        return value
    value = value.translate(CONTROL)
    if value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


#: Column widths (characters) of the workbook: the answer wide enough to read without widening.
WIDTHS = [11, 11, 45, 90, 35, 35, 10, 14, 12, 18]


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


def headings() -> list[str]:
    """The spreadsheets' column headings, in the language being served."""
    return [_(h) for h in HEADINGS]


def readable_rows(session, run: AnalysisRun):
    """Each answer's row as a person reads it, in the language being served: the group's and the
    channel's names, "No theme", the feeling in a word, "Yes" for an answer flagged for
    safeguarding."""
    channels, no_theme, flagged = channel_names(), _("No theme"), _("Yes")
    feelings = {c: _(word) for c, word in FEELING_WORDS.items()}
    for row in answer_rows(session, run, language()):
        yield [row.number, row.respondent, row.question, row.text, row.theme or no_theme,
               row.subtheme or "", feelings.get(row.sentiment, ""), row.group_name,
               channels.get(row.channel, row.channel), flagged if row.flagged else ""]


def later_note(session, run: AnalysisRun) -> str:
    """The sentence a download ends with when answers came in after the analysis ("" if none)."""
    return later_sentence(analysed_counts(session, run)[1])


def csv_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """Answers with their themes as CSV: UTF-8 with a byte-order mark, as the responses download,
    so that Excel reads Welsh letters (ŵ, ŷ, â) and accents right instead of as 'Å·'. The answers
    the run analysed; a last row says how many came in after it, if any."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(headings())
    writer.writerows([safe_cell(v) for v in row] for row in readable_rows(session, run))
    if note := later_note(session, run):
        writer.writerows([[], [note]])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """Answers with their themes as an Excel workbook."""
    from openpyxl import Workbook  # here, not at import: it loads numpy into every web worker

    wb = Workbook()
    ws = wb.active
    ws.title = _("Answers with themes")[:31]  # the longest name a sheet may have
    lay_out(ws, headings(), WIDTHS)
    for row in readable_rows(session, run):
        ws.append([safe_cell(v) for v in row])
    if note := later_note(session, run):
        ws.append([])
        ws.append([note])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def json_bytes(session, consultation, run: AnalysisRun) -> bytes:
    """The run, its themes and every answer with its theme, as JSON (UTF-8)."""
    themes = all_themes(session, run.id)
    quotes = quote_texts(session, themes)
    ids = {t.id for t in themes}
    # The run's metrics are the fit's; after splits and merges the count and the tree are the
    # themes as they are now (the tree only joins themes that are still there, and themes made by
    # hand were never in it). The fit's own count stays, named as such.
    # The blind check's figures are worked out from its codes as they are now.
    check = blind_check(session, run)
    metrics = {**{k: v for k, v in run.metrics.items() if k != "evaluation"},
               **({"evaluation": check} if check else {}),
               "themes": sum(t.parent_id is None for t in themes),
               "themes_found": run.metrics.get("themes"),
               "theme_tree": [[a, b] for a, b in run.metrics.get("theme_tree", []) if a in ids and b in ids]}
    later = analysed_counts(session, run)[1]
    body = {
        "consultation": consultation.slug, "run": run.id, "metrics": metrics,
        # The answers are those the run analysed; these came in after it.
        "later_answers": later, **({"note": later_sentence(later)} if later else {}),
        "themes": [{"id": t.id, "parent": t.parent_id, "label": t.label, "description": t.description,
                    "keywords": t.keywords, "quotes": quotes[t.id], "sentiment": t.sentiment,
                    "reviewed": t.reviewed} for t in themes],
        "answers": [dict(zip(COLUMNS, _for_programs(row), strict=True)) for row in answer_rows(session, run)],
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def _for_programs(row: AnswerRow) -> list:
    """An answer's values as the JSON has always given them: keys, not names."""
    return [row.number, row.question, row.text, row.theme or "No theme", row.group, row.channel,
            "yes" if row.flagged else "", row.respondent, row.subtheme, row.sentiment]
