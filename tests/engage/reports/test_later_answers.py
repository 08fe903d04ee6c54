"""Answers that come in after an analysis ran are not in its report or downloads, which say how
many there are.

The report and the answers downloads (CSV, XLSX, JSON) counted, and listed, every written answer
of the consultation, so an analysis of 80 people's answers reported the people who answered the
next day as analysed ("No theme") and its report's "placed N of M" counted them among M.
"""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from surveys.models import Answer, Question, Respondent, RunAnswer

from ...factories import signed_in_lead_with_answers
from ..themes.helpers import PARKING, add_text_answers
from .test_reports import docx_text, flat, pdf_text, start

LATER = {"en": "3 more written answers came in after this analysis ran. They are not included here",
         "cy": "Daeth 3 ateb ysgrifenedig arall i mewn ar ôl i’r dadansoddiad hwn gael ei wneud"}


@pytest.fixture
def late(app, session, client):
    """An analysis, then three more people who answer a question it analysed."""
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    run = start(client, session, consultation)
    question = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                   Question.type == "text")).first()
    later = add_text_answers(session, consultation.id, question.id, PARKING[:3])
    analysed = set(session.exec(select(RunAnswer.answer_id).where(RunAnswer.run_id == run.id)))
    return consultation, run, analysed, later


def _get(client, consultation, run, name: str) -> bytes:
    response = client.get(f"/manage/{consultation.slug}/themes/{run.id}/{name}")
    assert response.status_code == 200, (name, response.data[:300])
    return response.data


@pytest.mark.parametrize("language", ["en", "cy"])
def test_downloads_list_only_the_answers_analysed_and_say_how_many_came_later(client, session, late,
                                                                              language):
    consultation, run, analysed, later = late
    client.get(f"/manage/{consultation.slug}/themes/{run.id}?lang={language}")
    rows = list(csv.reader(io.StringIO(_get(client, consultation, run, "answers.csv").decode("utf-8-sig"))))
    answers = [r for r in rows[1:] if r and r[0].isdigit()]
    assert {int(r[0]) for r in answers} == analysed and not set(later) & analysed
    assert rows[-1][0].startswith(LATER[language])
    sheet = load_workbook(io.BytesIO(_get(client, consultation, run, "answers.xlsx"))).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert {int(r[0]) for r in cells[1:] if r and isinstance(r[0], int | str) and str(r[0]).isdigit()} \
        == analysed
    assert cells[-1][0].startswith(LATER[language])
    body = json.loads(_get(client, consultation, run, "analysis.json"))
    assert {a["answer_id"] for a in body["answers"]} == analysed
    assert body["later_answers"] == 3 and body["note"].startswith(LATER[language])


def test_the_report_counts_the_answers_analysed_and_says_how_many_came_later(client, session, late):
    consultation, run, analysed, later = late
    analysed_now = session.exec(select(Answer.id).join(Respondent).where(
        Answer.id.in_(analysed), Respondent.submitted_at.is_not(None))).all()
    word = flat(docx_text(_get(client, consultation, run, "report.docx")))
    pdf = flat(pdf_text(_get(client, consultation, run, "report.pdf")))
    for text in (word, pdf):
        assert f"We analysed {len(analysed_now)} written answers" in text
        assert f"of the {len(analysed_now)} answers in" in text
        assert LATER["en"] in text


def test_the_report_says_how_many_of_the_people_wrote_the_answers_analysed(client, session, late):
    """"43 people took part and wrote 180 answers": three of the 43 came after the analysis, and
    their answers are not among the 180."""
    from sqlmodel import func

    consultation, run, analysed, later = late
    people = session.exec(select(func.count()).select_from(Respondent).where(
        Respondent.consultation_id == consultation.id, Respondent.submitted_at.is_not(None))).one()
    writers = session.exec(select(func.count(func.distinct(Answer.respondent_id))).where(
        Answer.id.in_(analysed))).one()
    answers = len(analysed)
    assert writers <= people - 3
    word = flat(docx_text(_get(client, consultation, run, "report.docx")))
    assert (f"{people} people took part, and {writers} of them wrote the {answers} answers "
            "analysed here") in word, word[:1500]
    assert "took part and wrote" not in word, word[:1500]


def test_with_no_later_answers_the_downloads_say_nothing_of_them(client, session, app):
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    run = start(client, session, consultation)
    rows = list(csv.reader(io.StringIO(_get(client, consultation, run, "answers.csv").decode("utf-8-sig"))))
    assert all(r and r[0].isdigit() for r in rows[1:])
    body = json.loads(_get(client, consultation, run, "analysis.json"))
    assert body["later_answers"] == 0 and "note" not in body
    assert "came in after this analysis" not in docx_text(_get(client, consultation, run, "report.docx"))
