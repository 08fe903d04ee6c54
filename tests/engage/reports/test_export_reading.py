"""The exports as their readers meet them: downloaded over HTTP, opened and read back.

Each test here failed on the code before its fix: trade-offs one to a page in the PDF, table rows
broken across pages in Word, a blank page for a run without themes, formulas that slipped past the
spreadsheet guard, a repeated question that the spreadsheets could not tell apart, and workbooks
without a header row to hold on to.
"""

import csv
import io
import re
from datetime import datetime

import pytest
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from surveys import report_data as data
from surveys import responses, theme_runs
from surveys.models import AnalysisRun, Answer, Question, Theme
from surveys.types.base import Parsed

from ...factories import PASSWORD, demo_consultation, signed_in_lead_with_answers, user
from .test_reports import docx_text, flat, pdf_text, start


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


NON_ANSWERS = ["no comment", "n/a", "nothing", "none", "no", "nothing to add", "N/A", "no comment."]


@pytest.fixture
def nothing_to_theme(app, session, client):
    """A finished analysis of eight written answers that all say nothing: no theme is found."""
    app.config["JOBS_INLINE"] = True
    consultation = demo_consultation(session)
    user(session, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    question = next(q for q in theme_runs.analysable_questions(session, consultation) if q.type == "text")
    for text in NON_ANSWERS:
        respondent, _ = responses.start_response(session, consultation, channel="online")
        responses.save_answer(session, respondent, question, Parsed(None, text), None)
        respondent.submitted_at = respondent.started_at
    session.commit()
    response = client.post(f"/manage/{consultation.slug}/themes/", data={"questions": [question.id]})
    assert response.status_code == 302
    session.expire_all()
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    assert not session.exec(select(Theme).where(Theme.run_id == run.id)).all()
    return consultation, run


def test_a_run_without_themes_gives_a_report_without_a_blank_page(client, nothing_to_theme):
    consultation, run = nothing_to_theme
    pdf = PdfReader(io.BytesIO(download(client, consultation, run, "report.pdf")))
    for n, page in enumerate(pdf.pages[1:], 2):
        body = [line for line in page.extract_text().splitlines() if "Theme summary report" not in line]
        assert len(" ".join(body).split()) > 6, (n, body)  # more than a heading on every page
    docx = docx_text(download(client, consultation, run, "report.docx"))
    for text in (flat(pdf_text(download(client, consultation, run, "report.pdf"))), docx):
        assert "No answers were placed in a theme." in text
        assert "It placed 0 of the 8 answers in 0 themes." in text
        assert "None of the 0 themes" not in text and "A facilitator then" not in text
        assert "Nobody has edited the themes" not in text
    assert "The themes" not in docx.splitlines()


#: Formulas with something a spreadsheet may trim in front of them.
HIDDEN_FORMULAS = (" =1+1 waiting for appointments", "\n=HYPERLINK(\"http://evil.example\")",
                   "\u00a0@SUM(1,1) please")


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body)).active
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_formulas_behind_spaces_and_in_question_prompts_are_neutralised(client, session, app):
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    written = session.exec(select(Answer).where(Answer.text_redacted.is_not(None))
                           .order_by(Answer.id)).all()[:len(HIDDEN_FORMULAS)]
    for answer, text in zip(written, HIDDEN_FORMULAS, strict=True):
        answer.text_redacted = text
    question = session.get(Question, written[0].question_id)
    question.prompt = "-Anything else? " + question.prompt  # a prompt is someone's free text too
    session.add_all([*written, question])
    session.commit()
    run = start(client, session, consultation)

    def cells(rows):
        return [str(v) for row in rows for v in row if isinstance(v, str)]

    files = {
        "answers.csv": cells(_csv(download(client, consultation, run, "answers.csv"))),
        "answers.xlsx": cells(_xlsx(download(client, consultation, run, "answers.xlsx"))),
    }
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/manage/c/{consultation.slug}/responses/all.{fmt}")
        assert response.status_code == 200
        files[f"responses.{fmt}"] = cells(_csv(response.data) if fmt == "csv" else _xlsx(response.data))
    for name, values in files.items():
        for text in HIDDEN_FORMULAS:
            assert any(v.endswith(text.strip()) for v in values), (name, text)  # the answer is there
        # A number is not a formula: a trade-off's position (-2) is a column a spreadsheet adds up.
        risky = [v for v in values if v.lstrip().startswith(("=", "+", "-", "@"))
                 and not re.fullmatch(r"-\d+", v)]
        assert not risky, (name, risky[:3])
    assert any(v.startswith("'-Anything else? ") for v in files["responses.csv"])


def test_spreadsheets_tell_a_question_asked_again_at_the_end_from_its_first_asking(client, session,
                                                                                  analysed):
    """The demo asks one trade-off at the start and again at the end, in the same words: the report
    says "(at the start)" and "(at the end)", and so must a spreadsheet's columns and rows."""
    consultation, run = analysed
    again = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                Question.repeat_of_id.is_not(None))).one()
    first = session.get(Question, again.repeat_of_id)
    assert first.prompt == again.prompt
    start_name, end_name = f"{first.prompt} (at the start)", f"{again.prompt} (at the end)"

    for fmt in ("csv", "xlsx"):
        response = client.get(f"/manage/c/{consultation.slug}/responses/all.{fmt}")
        header = (_csv(response.data) if fmt == "csv" else _xlsx(response.data))[0]
        assert len(set(header)) == len(header), fmt  # every column its own name
        assert start_name in header and end_name in header
        assert header.index(start_name) < header.index(end_name)

    rows = _csv(download(client, consultation, run, "answers.csv"))[1:]
    sheet = _xlsx(download(client, consultation, run, "answers.xlsx"))[1:]
    for table in (rows, sheet):
        asked = {row[2] for row in table}
        assert start_name in asked and end_name in asked and first.prompt not in asked


def test_workbooks_hold_their_header_row_and_open_readable(client, session, analysed):
    consultation, run = analysed
    bodies = {"answers": download(client, consultation, run, "answers.xlsx"),
              "responses": client.get(f"/manage/c/{consultation.slug}/responses/all.xlsx").data}
    for name, body in bodies.items():
        sheet = load_workbook(io.BytesIO(body)).active
        assert sheet.freeze_panes == "A2", name  # the header stays in view while scrolling
        header = next(sheet.iter_rows(max_row=1))
        assert all(cell.font.b for cell in header), name
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in header]
        assert all(w and w >= 9 for w in widths), (name, widths)
        assert max(widths) >= 40, (name, widths)  # written answers get room to be read
        assert sheet.max_row > 1
    answers = load_workbook(io.BytesIO(bodies["answers"])).active
    heads = [c.value for c in next(answers.iter_rows(max_row=1))]
    assert heads[:4] == ["Answer number", "Respondent number", "Question", "Answer"]
    assert answers.column_dimensions["D"].width >= 60  # the answer itself, the widest


def test_the_answers_csv_opens_in_excel_with_welsh_letters_intact(client, session, app):
    """Excel reads a CSV without a byte-order mark in the computer's old code page: 'ŵ' came out
    as 'Åµ'. The responses download had the mark; the answers with their themes did not."""
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    answer = session.exec(select(Answer).where(Answer.text_redacted.is_not(None))).first()
    answer.text_redacted = "Rwy'n byw yn y gogledd ac mae'n anodd i bobl hŷn gael apwyntiad"
    session.add(answer)
    session.commit()
    run = start(client, session, consultation)
    body = download(client, consultation, run, "answers.csv")
    assert body.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark, once
    rows = _csv(body)
    assert rows[0][0] == "Answer number"
    assert answer.text_redacted in [row[3] for row in rows]


def test_word_page_numbers_sit_at_the_right_margin_after_a_short_title(client, session, analysed):
    """The footer is the title, a tab, then "Page N of M". Its only tab stop must be the right-aligned
    one at the margin: the template's Footer style brought a centre stop, so after a short title the
    page number landed in the middle of the page (seen in LibreOffice)."""
    consultation, run = analysed
    consultation.title = "Maternity care"
    session.add(consultation)
    session.commit()
    doc = Document(io.BytesIO(download(client, consultation, run, "report.docx")))
    footer = doc.sections[1].footer.paragraphs[0]
    assert footer.text.startswith("Maternity care · Theme summary report\tPage ")
    stops = [(round(t.position.cm, 1), t.alignment)
             for t in [*footer.style.paragraph_format.tab_stops, *footer.paragraph_format.tab_stops]]
    assert stops == [(17.0, WD_TAB_ALIGNMENT.RIGHT)]


def test_words_that_introduce_quotes_or_a_table_stay_on_their_page(client, analysed):
    """'What people said:' was left alone at the foot of a page, its quotes on the next, and a theme's
    heading with only its size line under it (seen in the Welsh report in LibreOffice); so could
    the words that introduce a theme's table of trade-offs be, away from its table."""
    consultation, run = analysed
    doc = Document(io.BytesIO(download(client, consultation, run, "report.docx")))
    leads = ("What people said:", "Table of their trade-offs:")
    intros = [p for p in doc.paragraphs if p.text.startswith(leads)]
    assert {p.text.split(":")[0] for p in intros} == {"What people said", "Table of their trade-offs"}
    assert all(p.paragraph_format.keep_with_next for p in intros)
    # A theme's heading and the line under it (its size) stay with the theme's first lines.
    sizes = [p for p in doc.paragraphs if "of answers placed in a theme)." in p.text]
    assert sizes and all(p.paragraph_format.keep_with_next for p in sizes)
    others = [p for p in doc.paragraphs if p.text.startswith(("Key words:", "Who wrote these answers:"))]
    assert others and not any(p.paragraph_format.keep_with_next for p in others)


def test_the_responses_workbook_gives_times_a_spreadsheet_can_sort_and_filter(client, analysed):
    """Started and Submitted were text ('2026-11-27 08:16'): Excel could not filter them by date."""
    consultation, _ = analysed
    base = f"/manage/c/{consultation.slug}/responses"
    text = _csv(client.get(f"{base}/all.csv").data)
    sheet = load_workbook(io.BytesIO(client.get(f"{base}/all.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4:6] == ("Started (UTC)", "Submitted (UTC)")  # the file says which time it gives
    assert text[0][4:6] == ["Started (UTC)", "Submitted (UTC)"]
    assert len(rows) == len(text) > 1
    for row, line in zip(rows[1:], text[1:], strict=True):
        for value, written in zip(row[4:6], line[4:6], strict=True):
            assert isinstance(value, datetime) and value.strftime("%Y-%m-%d %H:%M") == written
    assert next(sheet.iter_rows(min_row=2, max_row=2))[4].number_format == "yyyy-mm-dd hh:mm"


#: What introduces a theme's one sentence on the trade-off where its people differ most from
#: everyone, and its table of every trade-off they gave reasons for, in each language.
STANCE_LEADS = {"en": ("Where they differ most from everyone:", "Table of their trade-offs:"),
                "cy": ("Ble maen nhw fwyaf gwahanol i bawb:", "Tabl o'u cyfaddawdau:")}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_themes_stance_sentence_and_its_table_have_headings_that_say_which_is_which(
        client, session, analysed, language):
    """They were "Where its people stand:" and "Where they stand:": two names for two things."""
    consultation, run = analysed
    client.get(f"/manage/{consultation.slug}/themes/{run.id}?lang={language}")  # the facilitator's choice
    sentence_lead, table_lead = STANCE_LEADS[language]
    doc = Document(io.BytesIO(download(client, consultation, run, "report.docx")))
    lines = [p.text for p in doc.paragraphs]
    sentences = [line for line in lines if line.startswith(sentence_lead)]
    tables = [line for line in lines if line.startswith(table_lead)]
    themes = data.gather(session, consultation, run, 5).themes
    assert len(sentences) == sum(1 for t in themes if t.stances and t.stance_divides) > 0
    assert len(tables) == sum(1 for t in themes if t.positions) > 0
    assert all(len(line) > len(sentence_lead) + 20 for line in sentences)  # the sentence follows
    assert not [line for line in lines if line.startswith(("Where its people stand", "Where they stand",
                                                           "Ble mae ei phobl yn sefyll",
                                                           "Ble maen nhw'n sefyll"))]
    pdf = flat(pdf_text(download(client, consultation, run, "report.pdf")))
    assert pdf.count(sentence_lead) == len(sentences) and pdf.count(table_lead) == len(tables)
    client.get("/?lang=en")


def _structure(node, found: list) -> list:
    """Every structure element under ``node`` as (type, its /Alt or None), in reading order."""
    import pikepdf

    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append((str(kid.S), str(kid.Alt) if "/Alt" in kid else None))
            _structure(kid, found)
    return found


def test_the_pdf_is_tagged_for_screen_readers_with_every_chart_described(client, session, analysed):
    """A board paper is published on the trust's website: its PDF must be tagged (PDF/UA), say
    its language and title, mark headings, lists and table headers, and describe each chart in
    the words the Word file uses for it."""
    import pikepdf

    consultation, run = analysed
    body = download(client, consultation, run, "report.pdf")
    pdf = pikepdf.open(io.BytesIO(body))
    assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle
    assert pdf.open_metadata()["dc:title"] == f"{consultation.title}: Theme summary report"
    tags = _structure(pdf.Root.StructTreeRoot, [])
    kinds = [kind for kind, _ in tags]
    assert kinds.count("/H1") == 1 and kinds.count("/H2") >= 3 and "/H3" in kinds
    assert {"/Table", "/TH", "/TD", "/L", "/LI", "/P"} <= set(kinds)
    # Every chart drawn is a figure with the Word file's description of it.
    word = Document(io.BytesIO(download(client, consultation, run, "report.docx")))
    described = sorted(s._inline.docPr.get("descr") for s in word.inline_shapes)
    figures = sorted(alt for kind, alt in tags if kind == "/Figure")
    assert len(described) >= 3 and figures == described
    images = {image.objgen for page in pdf.pages for image in page.get_images().values()}
    assert len(images) == len(figures)


def test_words_in_the_pdf_are_text_never_markup_and_nothing_outside_is_fetched(app, tmp_path):
    """A theme label or quote is what people wrote: markup in it is shown as written, and a
    link to a file or a site in it is never read while the PDF is drawn."""
    from engage.reports import content, pdf

    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    hostile = (f'<img src="{secret.as_uri()}"><style>@import url(http://127.0.0.1:9/x.css);</style>'
               '</p><h1>Injected</h1> & "quoted"')
    blocks = [content.Heading(hostile), content.Para(hostile, lead=hostile), content.Quote(hostile),
              content.Bullets([hostile]), content.Table(["Theme"], [[hostile]], [1.0]),
              content.PageBreak(), content.Para("The second page, with the footer.")]
    title = "</style><h1>A title</h1>"  # in each page's footer, inside the stylesheet
    with app.test_request_context():
        body = pdf.render(blocks, title)
    text = flat(pdf_text(body))
    assert text.count("<h1>Injected</h1> & \"quoted\"") >= 5 and "secret.png" in text
    assert f"{title} · Theme summary report" in text  # the footer's title, too, is text
    import pikepdf

    document = pikepdf.open(io.BytesIO(body))
    assert not any(page.get_images() for page in document.pages)
    kinds = [kind for kind, _ in _structure(document.Root.StructTreeRoot, [])]
    assert kinds.count("/H1") == 0 and "/Figure" not in kinds


def _pdf_with_a_theme_named(client, session, analysed, label: str) -> str:
    """The PDF report's text once the first theme is called ``label``."""
    consultation, run = analysed
    theme = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).first()
    theme.label = label
    session.add(theme)
    session.commit()
    return flat(pdf_text(download(client, consultation, run, "report.pdf")))


def test_an_emoji_the_pdf_font_cannot_draw_is_written_as_its_name(client, session, analysed):
    """The PDF carries only the report's font, which has no emoji: "Great care 😊" was drawn as
    "Great care" and an empty box. Word keeps the emoji (the reader's fonts draw it)."""
    consultation, run = analysed
    pdf = _pdf_with_a_theme_named(client, session, analysed, "Great care 😊👍🏽")
    assert "Great care (smiling face with smiling eyes) (thumbs up sign)" in pdf
    assert "😊" not in pdf and "🏽" not in pdf
    assert "Great care 😊👍🏽" in docx_text(download(client, consultation, run, "report.docx"))


def test_words_in_a_script_the_pdf_font_cannot_draw_are_one_note_not_letter_names(client, session, analysed):
    """A theme named in Urdu or Bengali came out of the PDF as "(arabic letter meem) (arabic
    letter reh) ...", one name per letter, which no one can read. Each run of such words is now
    one note of the script, pointing to the Word report, which keeps the words as written."""
    consultation, run = analysed
    pdf = _pdf_with_a_theme_named(client, session, analysed, "مرحبا staff and ভালো সেবা। care")
    assert ("(text in Arabic script, in the Word report) staff and "
            "(text in Bengali script, in the Word report) care") in pdf
    assert not any(name in pdf.lower() for name in ("arabic letter", "bengali letter", "danda"))
    assert "مرحبا staff and ভালো সেবা। care" in docx_text(download(client, consultation, run, "report.docx"))
