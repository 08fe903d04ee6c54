"""The theme summary report in the facilitator's language: Welsh when they use Engage in Welsh.

The report's own words (headings, sentences, table headers, chart text, the band, the footer and the
document's properties) follow the language chosen with ``?lang=``; the consultation's own texts are
in Welsh where the consultation offers Welsh and gives them; what people wrote stays as written.
"""

import io
import re
from datetime import date

import pytest
from babel.dates import format_date
from docx import Document
from docx.oxml.ns import qn
from sqlmodel import select

from surveys import theme_runs
from surveys.models import Question
from surveys.types import get_type

from .test_reports import blind_check, docx_text, flat, pdf_text, start, themes_of

#: The consultation's title and a trade-off's words in Welsh, as a facilitator would give them.
WELSH_TITLE = "Dyfodol gwasanaethau iechyd lleol"
WELSH_LEFT, WELSH_RIGHT = "Cyflymder apwyntiadau", "Cyswllt wyneb yn wyneb"
WELSH_PROMPT = "Beth sydd bwysicaf i chi pan fyddwch yn cael gofal?"

#: Words of the report itself, in each language (each must be in a report of its language).
WELSH = ("Adroddiad cryno ar y themâu", "Crynodeb", "Y themâu yn gryno", "Sut y gwnaethom hyn",
         "Manylion personol wedi'u tynnu.", "Gwiriad dall.", "Darllen y rhifau.", "Y themâu",
         "Pwy ysgrifennodd yr atebion hyn:", "Ble mae pobl yn sefyll ar y cyfaddawdau", "Staff y GIG",
         "Cleifion, gofalwyr a'r cyhoedd", "o'r atebion a roddwyd mewn thema", "yn pwyso tuag at")
ENGLISH = ("Theme summary report", "Themes at a glance", "How we did this", "Personal details removed",
           "Blind check", "Reading the numbers", "Who wrote these answers", "Where people stand on the",
           "NHS staff", "Patients, carers and public", "answers placed in a theme", "lean towards",
           "took part and wrote", "Number of answers", "NHS public engagement", "Cohen's kappa",
           "were marked as reviewed", "Not yet reviewed", "Reviewed by a facilitator")


@pytest.fixture
def analysed(app, session, client):
    """An analysis of the demo consultation, which is offered in Welsh with some of its texts
    translated (its title and one trade-off); a blind check agreed substantially."""
    from ...factories import signed_in_lead_with_answers

    consultation = signed_in_lead_with_answers(app, session, client, 80)
    run = start(client, session, consultation)
    blind_check(session, run)
    consultation.languages = ["en", "cy"]
    consultation.translations = {"cy": {"title": WELSH_TITLE}}
    questions = session.exec(select(Question).where(Question.consultation_id == consultation.id)).all()
    repeated = {q.repeat_of_id for q in questions}
    tradeoff = next(q for q in questions if get_type(q.type).between_poles and not q.repeat_of_id
                    and q.id not in repeated)  # asked once: its own heading in the trade-offs
    given = (tradeoff.translations or {}).get("cy", {})  # the demo's Welsh, with ours over it
    tradeoff.translations = {"cy": {**given, "prompt": WELSH_PROMPT, "left": WELSH_LEFT,
                                    "right": WELSH_RIGHT}}
    session.add_all([run, consultation, tradeoff])
    session.commit()
    return consultation, run, tradeoff


def kappa(session, run) -> str:
    from surveys.evaluation import summary

    session.expire_all()
    return f"{summary(session, run)['kappa']:.2f}"


def base(consultation, run) -> str:
    return f"/manage/{consultation.slug}/themes/{run.id}"


def in_welsh(client, consultation, run) -> None:
    """The facilitator switches Engage to Welsh on the theme board; the choice is kept."""
    page = client.get(f"{base(consultation, run)}?lang=cy").get_data(as_text=True)
    assert '<html lang="cy"' in page


def test_a_facilitator_using_welsh_downloads_the_word_report_in_welsh(client, session, analysed):
    consultation, run, tradeoff = analysed
    in_welsh(client, consultation, run)
    response = client.get(f"{base(consultation, run)}/report.docx")  # no ?lang: the session's
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    text = docx_text(response.data)
    for words in WELSH:
        assert words in text, words
    for words in ENGLISH:
        assert words not in text, words
    assert f"kappa Cohen {kappa(session, run)}" in text and "i raddau sylweddol" in text
    assert format_date(date.today(), "d MMMM y", locale="cy") in text  # "29 Tachwedd 2026"
    # The consultation's own words in Welsh where it gives them; people's answers as they wrote them.
    assert WELSH_TITLE in text and consultation.title not in text
    assert f"{WELSH_LEFT} neu cyswllt wyneb yn wyneb" in text and WELSH_PROMPT in text
    themes = themes_of(session, run)
    quotes = theme_runs.quote_texts(session, themes)
    assert all(q in text for t in themes for q in quotes[t.id][:5])
    # Where a theme's people stand names the trade-offs' sides in Welsh too (the demo gives them).
    stances = [line for line in text.splitlines() if line.startswith("Ble maen nhw fwyaf gwahanol i bawb:")]
    assert any("ffafrio cyflymder apwyntiadau" in line or "ffafrio cyswllt wyneb yn wyneb" in line
               for line in stances)
    assert not any("both equally" in line.lower() or tradeoff.config["left"].lower() in line.lower()
                   for line in stances)
    # The band, the footer, chart descriptions and the document's properties.
    assert "Engage · Ymgysylltu â'r cyhoedd yn y GIG" in text
    footer = doc.sections[1].footer.paragraphs[0].text
    assert footer.startswith(f"{WELSH_TITLE} · Adroddiad cryno ar y themâu\tTudalen ") and " o " in footer
    alts = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert any(a.startswith("Siart bar o nifer yr atebion ym mhob thema: ") for a in alts)
    assert any(a.startswith(f"Siart o ble mae pobl yn sefyll rhwng {WELSH_LEFT} a {WELSH_RIGHT}.")
               for a in alts)
    props = doc.core_properties
    assert props.title == f"{WELSH_TITLE}: Adroddiad cryno ar y themâu" and props.language == "cy-GB"
    assert doc.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "cy-GB"  # spelling


def test_a_facilitator_using_welsh_downloads_the_pdf_report_in_welsh(client, session, analysed):
    consultation, run, _ = analysed
    in_welsh(client, consultation, run)
    response = client.get(f"{base(consultation, run)}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = flat(pdf_text(response.data))
    for words in WELSH:
        assert flat(words) in text, words
    for words in ENGLISH:
        assert words not in text, words
    assert WELSH_TITLE in text and "Ymgysylltu â'r cyhoedd yn y GIG" in text
    assert re.search(r"Tudalen 2 o \d+", text) and not re.search(r"Page \d+ of", text)


def test_switching_back_to_english_gives_the_english_report(client, session, analysed):
    consultation, run, _ = analysed
    in_welsh(client, consultation, run)
    client.get(f"{base(consultation, run)}?lang=en")
    docx = docx_text(client.get(f"{base(consultation, run)}/report.docx").data)
    pdf = flat(pdf_text(client.get(f"{base(consultation, run)}/report.pdf").data))
    for text in (docx, pdf):
        assert consultation.title in text and WELSH_TITLE not in text and WELSH_PROMPT not in text
        assert "Theme summary report" in text and "How we did this" in text
        assert "Adroddiad cryno" not in text and "Crynodeb" not in text
    assert f"Cohen's kappa {kappa(session, run)}" in docx and "to a substantial degree" in docx
    assert re.search(r"Page 2 of \d+", pdf)
    doc = Document(io.BytesIO(client.get(f"{base(consultation, run)}/report.docx").data))
    assert doc.core_properties.language == "en-GB"
    footer = doc.sections[1].footer.paragraphs[0].text
    assert footer.startswith(f"{consultation.title} · Theme summary report\tPage 1 of 1")  # Word's fields
    assert doc.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"


def test_a_consultation_not_offered_in_welsh_keeps_its_own_words(client, session, analysed):
    """The report's words are Welsh; the consultation's stay as written when it is not offered in
    Welsh, even if translations are stored."""
    consultation, run, _ = analysed
    consultation.languages = ["en"]
    session.add(consultation)
    session.commit()
    in_welsh(client, consultation, run)
    text = docx_text(client.get(f"{base(consultation, run)}/report.docx").data)
    assert "Adroddiad cryno ar y themâu" in text and "Sut y gwnaethom hyn" in text
    assert consultation.title in text and WELSH_TITLE not in text and WELSH_PROMPT not in text


def test_the_command_line_writes_the_report_in_the_language_asked_for(app, session, analysed, tmp_path):
    from flask.cli import ScriptInfo

    from engage import cli

    consultation, run, _ = analysed
    runner = app.test_cli_runner()
    texts = {}
    for language in ("cy", "en"):
        for fmt in ("docx", "pdf"):
            path = tmp_path / f"report-{language}.{fmt}"
            args = ["export", "report", consultation.slug, str(run.id), "--format", fmt,
                    "--language", language, "--output", str(path)]
            out = runner.invoke(cli.main, args, obj=ScriptInfo(create_app=lambda: app))
            assert out.exit_code == 0, out.output
            data = path.read_bytes()
            texts[language, fmt] = docx_text(data) if fmt == "docx" else flat(pdf_text(data))
    for fmt in ("docx", "pdf"):
        welsh, english = texts["cy", fmt], texts["en", fmt]
        assert WELSH_TITLE in welsh and flat("Adroddiad cryno ar y themâu") in flat(welsh)
        assert "Theme summary report" not in welsh and "How we did this" not in welsh
        assert consultation.title in english and "Theme summary report" in english
        assert "Adroddiad cryno" not in english
    bad = runner.invoke(cli.main, ["export", "report", consultation.slug, str(run.id), "--language", "fr"],
                        obj=ScriptInfo(create_app=lambda: app))
    assert bad.exit_code == 2 and "fr" in bad.output
