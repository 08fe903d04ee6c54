"""The exports as their readers meet them: downloaded over HTTP, opened and read back.

Each test here failed on the code before its fix: trade-offs one to a page in the PDF, table rows
broken across pages in Word, a blank page for a run without themes, formulas that slipped past the
spreadsheet guard, a repeated question that the spreadsheets could not tell apart, and workbooks
without a header row to hold on to.
"""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from surveys import report_data as data

from ...factories import signed_in_lead_with_answers
from .test_reports import flat, start


@pytest.fixture
def analysed(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 80)
    return consultation, start(client, session, consultation)


def download(client, consultation, run, route: str) -> bytes:
    response = client.get(f"/manage/{consultation.slug}/themes/{run.id}/{route}")
    assert response.status_code == 200, (route, response.data[:500])
    return response.data


def test_the_pdf_puts_trade_offs_together_not_one_to_a_page(client, session, analysed):
    consultation, run = analysed
    tradeoffs = data.gather(session, consultation, run, 5).tradeoffs
    assert len(tradeoffs) >= 3
    pages = [flat(p.extract_text()) for p in PdfReader(io.BytesIO(download(client, consultation, run,
                                                                           "report.pdf"))).pages]
    start_page = next(i for i, text in enumerate(pages) if "Where people stand on the trade-offs" in text)
    first = tradeoffs[0]
    assert f"{first.left} or " in pages[start_page]  # the first trade-off follows the section's opening
    assert len(pages) - start_page < len(tradeoffs)  # and they share pages


def test_word_tables_keep_each_row_on_one_page(client, analysed):
    """A theme's name wrapped over two lines must not leave its last word on the next page, away
    from its figures; the header row repeats at the top of each page a table runs onto."""
    consultation, run = analysed
    doc = Document(io.BytesIO(download(client, consultation, run, "report.docx")))
    assert doc.tables
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows:
            flag = row._tr.trPr.find(qn("w:cantSplit")) if row._tr.trPr is not None else None
            assert flag is not None and flag.get(qn("w:val")) in ("true", "1"), row.cells[0].text
