"""The downloads as an engagement team preparing a board paper meets them, over HTTP.

Each test failed on the code before its fix: a theme's trade-off table counted answers beside a
stance sentence that counts people; a theme's "who wrote these answers" left out a hidden "Not
said", so that it read as 0 and gave the other hidden count away; a group too small to show was
given away by everyone's total less the other group's; a control character in one answer (a
line break pasted from Word) made both workbooks fail to download; the responses workbook named its
sheet in English in a Welsh download; and a consultation that asks nobody their group had a column
of everyone, "Not said".
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from sqlmodel import select

from surveys import responses, theme_runs
from surveys.models import Answer, Question, Respondent
from surveys.types.base import Parsed

from ...factories import PASSWORD, consultation_from, give_trade_off_points, signed_in_lead_with_answers, user
from .test_reports import docx_text, flat, start


def _report(client, consultation, run) -> Document:
    response = client.get(f"/manage/{consultation.slug}/themes/{run.id}/report.docx")
    assert response.status_code == 200
    return Document(io.BytesIO(response.data))


def _body(doc: Document) -> list:
    """The document's paragraphs and tables in reading order."""
    return [Paragraph(el, doc) if el.tag.endswith("}p") else Table(el, doc)
            for el in doc.element.body.iterchildren() if el.tag.endswith(("}p", "}tbl"))]


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_a_themes_trade_off_table_counts_people_as_its_stance_sentence_does(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 80)
    run = start(client, session, consultation)
    body = _body(_report(client, consultation, run))
    checked = 0
    for n, block in enumerate(body):
        said = isinstance(block, Paragraph) and block.text.startswith("Where they differ most from everyone:")
        found = said and re.search(r"of the ([\d,]+) people in this theme .*?\((\d+%)\)", block.text)
        if not found:
            continue
        people, share = found.groups()
        table = next(b for b in body[n:] if isinstance(b, Table))
        header, *rows = _rows(table)
        assert header == ["Trade-off", "First", "Both", "Second", "People"]
        # The sentence is one of the table's rows: the same people, the same share.
        assert any(row[-1] == people and share in row[1:4] for row in rows), (block.text, rows)
        checked += 1
    assert checked >= 3


def test_a_hidden_not_said_is_named_in_who_wrote_a_themes_answers(app, session, client):
    """One person who did not say their group, with one analysed answer: their theme's "Not said"
    is hidden, and so is one more count in it, so neither can be worked out from the size."""
    consultation = signed_in_lead_with_answers(app, session, client, 80)
    analysed = {q.id for q in theme_runs.analysable_questions(session, consultation)}
    person = session.exec(select(Respondent).order_by(Respondent.id)).first()
    written = [a for a in session.exec(select(Answer).where(Answer.respondent_id == person.id))
               if a.question_id in analysed and a.text_redacted]
    segment = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                  Question.is_segment)).one()
    for answer in session.exec(select(Answer).where(Answer.respondent_id == person.id)):
        if answer.question_id == segment.id or answer in written[1:]:
            session.delete(answer)
        else:
            answer.segment = None
            session.add(answer)
    person.segment = None
    session.add(person)
    session.commit()
    run = start(client, session, consultation)

    body = _body(_report(client, consultation, run))
    header, *rows = _rows(next(b for b in body if isinstance(b, Table)))
    assert header[-1] == "Not said"
    glance = {row[0]: dict(zip(header[4:], row[4:], strict=True)) for row in rows}
    hidden_not_said = 0
    for block in body:
        if isinstance(block, Paragraph) and block.style.name == "Heading 2" and ". " in block.text:
            label = block.text.split(". ", 1)[1]
        if isinstance(block, Paragraph) and block.text.startswith("Who wrote these answers:"):
            said = block.text
            if "single someone out" in said or "fewer than" in said:
                continue
            for group, count in glance[label].items():
                if count != "0":  # every count that is not a shown 0, as the table beside it gives it
                    shown = {"not shown": count, "1": "1 person"}.get(count, f"{count} people")
                    assert f"{group} ({shown})" in said, (label, group, count, said)
            hidden_not_said += glance[label]["Not said"] == "not shown"
    assert hidden_not_said >= 1


def test_a_group_too_small_to_show_is_not_given_away_by_the_other_groups_total(app, session, client):
    """3 staff and 30 patients, nobody in no group: everyone (33) less the patients would count
    the staff, so the patients' total is not given either."""
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    give_trade_off_points(session, "connection-vs-speed-before",
                          {"staff": [-3, 0, 3], "patient": [-3] * 10 + [0] * 10 + [3] * 10})
    run = start(client, session, consultation)
    body = client.get(f"/manage/{consultation.slug}/themes/{run.id}/report.docx").data
    report, doc = flat(docx_text(body)), Document(io.BytesIO(body))
    assert "Before: Everyone (33)" in report
    assert "Before: NHS staff: fewer than 5 answered, so not shown." in report
    assert "Before: Patients, carers and public: not shown, so that no one can be singled out." in report
    assert "Patients, carers and public (30)" not in report
    alts = " ".join(shape._inline.docPr.get("descr") for shape in doc.inline_shapes)
    assert "Everyone (33)" in alts and "Patients, carers and public (30)" not in alts


def test_a_control_character_in_an_answer_does_not_stop_the_workbooks(app, session, client):
    """A line break pasted from Word (a vertical tab) and a stray bell: both workbooks download,
    the line break kept as one."""
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    answers = session.exec(select(Answer).where(Answer.text_redacted.is_not(None)).order_by(Answer.id)).all()
    for answer, text in zip(answers, ("Waiting lists\x0bare too long", "The app\x07 is slow"), strict=False):
        answer.text = answer.text_redacted = text
        session.add(answer)
    session.commit()
    run = start(client, session, consultation)
    for url in (f"/manage/{consultation.slug}/themes/{run.id}/answers.xlsx",
                f"/manage/c/{consultation.slug}/responses/all.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        cells = {str(v) for row in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)
                 for v in row if isinstance(v, str)}
        assert any("Waiting lists\nare too long" in c for c in cells), url
        assert any("The app is slow" in c for c in cells), url


def test_the_responses_workbook_names_its_sheet_in_the_facilitators_language(app, session, client):
    """Its headings were in Welsh and its sheet's name, on the tab, in English."""
    consultation = signed_in_lead_with_answers(app, session, client, 5)
    for language, name in (("cy", "Ymatebion"), ("en", "Responses")):
        client.get(f"/manage/c/{consultation.slug}/responses?lang={language}")
        response = client.get(f"/manage/c/{consultation.slug}/responses/all.xlsx")
        assert response.status_code == 200
        assert load_workbook(io.BytesIO(response.data)).sheetnames == [name]


#: Written answers that fall into a few themes.
SAID = ["booking appointments online is slow and hard", "records are not shared between hospital and GP",
        "I want to see the same doctor and talk to a person", "keep my data safe and private"]


def test_a_consultation_that_asks_nobody_their_group_has_no_column_of_everyone(app, session, client):
    """It had a "Not said" column repeating each theme's size (or "not shown" beside the size it
    hid), and "Who wrote these answers: Not said 7." under each theme."""
    app.config["JOBS_INLINE"] = True
    consultation = consultation_from(session, {
        "slug": "no-groups", "title": "No groups", "consent_text": "OK",
        "pages": [{"key": "views", "kind": "questions", "title": "Views", "questions": [
            {"key": "fix", "type": "text", "prompt": "What would you fix?"}]}]})
    user(session, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    question = session.exec(select(Question).where(Question.consultation_id == consultation.id)).one()
    for n in range(28):
        person, _token = responses.start_response(session, consultation)
        responses.save_answer(session, person, question, Parsed(None, f"{SAID[n % 4]} ({n})"), None)
        person.submitted_at = person.started_at
    session.commit()
    run = start(client, session, consultation)
    body = _body(_report(client, consultation, run))
    assert _rows(next(b for b in body if isinstance(b, Table)))[0] == ["Theme", "Answers", "Share", "People"]
    text = "\n".join(b.text for b in body if isinstance(b, Paragraph))
    assert "Not said" not in text and "Who wrote these answers" not in text
    assert "The last columns show who wrote the answers" not in text
    assert re.search(r"Share is of the \d+ answers placed in a theme\. People is how many people wrote a "
                     r"theme's answers \(one person may have several\)\.\n", text)
