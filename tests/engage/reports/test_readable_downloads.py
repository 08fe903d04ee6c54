"""The facilitator's spreadsheets as a person reads them, downloaded over HTTP and opened with the
csv module and openpyxl, in English and in Welsh.

The answers with their themes had a program's column names ("answer_id", "segment"), group and
channel keys for values ("staff", "online") and an English "No theme" in a Welsh download. The
responses download in Welsh wrapped Welsh words around the consultation's English ("Ychydig o blaid
human connection"), and its streamed CSV wrote every answer in English while its workbook (written
before the request ended) wrote them in Welsh. The rule now: a question whose wording the
consultation gives in Welsh comes in Welsh, fixed words and all; any other comes as written, in
English, with English fixed words around it; the headings of the file itself are in the
facilitator's language.
"""

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from surveys.models import Answer, Question, Theme, ThemeAssignment

from ...factories import signed_in_lead_with_answers
from .test_reports import start, themes_of

HEADINGS = {
    "en": ["Answer number", "Respondent number", "Question", "Answer", "Theme", "Sub-theme", "Feeling",
           "Group", "Channel", "Flagged for safeguarding"],
    "cy": ["Rhif yr ateb", "Rhif yr ymatebydd", "Cwestiwn", "Ateb", "Thema", "Is-thema", "Teimlad", "Grŵp",
           "Sianel", "Wedi'i nodi ar gyfer diogelu"],
}
NO_THEME = {"en": "No theme", "cy": "Dim thema"}
YES = {"en": "Yes", "cy": "Ie"}
CHANNELS = {"en": ("Online", "Workshop tablet", "Paper", "Phone"),
            "cy": ("Ar-lein", "Llechen gweithdy", "Papur", "Ffôn")}
#: The demo's trade-off asked at the start and again at the end, and its words in Welsh (demo.yaml).
AGAIN = "connection-vs-speed-before"
WELSH_POLES = ("Cysylltiad dynol", "Diagnosis cyflymach")


def _csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads Welsh letters right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(body: bytes) -> list[list[str]]:
    """The workbook's cells as the CSV writes them (times to the minute, empty cells empty)."""
    sheet = load_workbook(io.BytesIO(body)).active
    return [["" if v is None else v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else str(v)
             for v in row] for row in sheet.iter_rows(values_only=True)]


def _get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return response.data


def _question(session, consultation, key: str) -> Question:
    return session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                               Question.key == key)).one()


def _segment(session, consultation) -> Question:
    return session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                               Question.is_segment)).one()


@pytest.fixture
def analysed(app, session, client):
    """The demo (offered in Welsh, its questions translated) analysed; one answer then taken out of
    its theme and one flagged for safeguarding."""
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    run = start(client, session, consultation)
    placed = session.exec(select(ThemeAssignment).where(ThemeAssignment.run_id == run.id)
                          .order_by(ThemeAssignment.answer_id)).all()
    session.delete(placed[0])
    flagged = session.get(Answer, placed[1].answer_id)
    flagged.safeguarding = True
    session.add(flagged)
    session.commit()
    return consultation, run, placed[0].answer_id, flagged.id


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_answers_with_their_themes_have_headings_and_values_in_words(client, session, analysed,
                                                                           language):
    consultation, run, unplaced, flagged = analysed
    client.get(f"/manage/{consultation.slug}/themes/{run.id}?lang={language}")  # the facilitator's choice
    base = f"/manage/{consultation.slug}/themes/{run.id}"
    rows = _csv(_get(client, f"{base}/answers.csv"))
    assert _xlsx(_get(client, f"{base}/answers.xlsx")) == rows  # the workbook says the same
    header, body = rows[0], rows[1:]
    assert header == HEADINGS[language]
    by_number = {int(r[0]): dict(zip(header, r, strict=True)) for r in body}
    question, theme, group, channel, flag = (HEADINGS[language][i] for i in (2, 4, 7, 8, 9))
    respondent, subtheme, feeling = (HEADINGS[language][i] for i in (1, 5, 6))

    assert by_number[unplaced][theme] == NO_THEME[language]
    assert by_number[unplaced][subtheme] == by_number[unplaced][feeling] == ""
    # Each row joins to its respondent in the responses download, and its sub-theme is one of its
    # theme's; its feeling is a word.
    people = {int(r[0]) for r in _csv(_get(client, f"/manage/c/{consultation.slug}/responses/all.csv"))[1:]}
    owners = dict(session.exec(select(Answer.id, Answer.respondent_id)
                               .where(Answer.id.in_(list(by_number)))).all())
    assert all(int(r[respondent]) == owners[n] for n, r in by_number.items())
    assert {int(r[respondent]) for r in by_number.values()} <= people
    label = {t.id: t.label for t in session.exec(select(Theme).where(Theme.run_id == run.id))}
    placed = session.exec(select(ThemeAssignment).where(ThemeAssignment.run_id == run.id)).all()
    assert {n: (r[theme], r[subtheme]) for n, r in by_number.items() if n != unplaced} == {
        a.answer_id: (label[a.theme_id], label.get(a.subtheme_id, "")) for a in placed}
    words = {"en": {"negative", "mixed", "positive"}, "cy": {"negyddol", "cymysg", "cadarnhaol"}}[language]
    assert {r[feeling] for n, r in by_number.items() if n != unplaced} <= words | {""}
    assert len({r[feeling] for r in by_number.values()} & words) >= 2
    labels = {t.label for t in themes_of(session, run)}
    assert {r[theme] for r in by_number.values()} - {NO_THEME[language]} <= labels
    assert by_number[flagged][flag] == YES[language]
    assert {r[flag] for n, r in by_number.items() if n != flagged} == {""}
    channels = {r[channel] for r in by_number.values()}
    assert CHANNELS[language][0] in channels and channels <= set(CHANNELS[language])

    # Groups by the names the consultation gives them, in Welsh where it gives Welsh; never keys.
    segment = _segment(session, consultation)
    names = {str(o["key"]): o["label"] for o in segment.config["options"]}
    if language == "cy":
        names = {k: segment.translations["cy"][f"options.{k}"] for k in names}
    assert {r[group] for r in by_number.values()} <= set(names.values()) | {""}
    assert len({r[group] for r in by_number.values()} - {""}) >= 2
    assert not {r[group] for r in by_number.values()} & set(names)

    # The question asked twice, told apart in the language of its wording.
    first = _question(session, consultation, AGAIN)
    prompt = first.translations["cy"]["prompt"] if language == "cy" else first.prompt
    at_start = "%s (ar y dechrau)" if language == "cy" else "%s (at the start)"
    assert at_start % prompt in {r[question] for r in by_number.values()}


def test_in_welsh_a_question_the_consultation_does_not_give_in_welsh_stays_wholly_english(
        client, session, analysed):
    """No "(ar y dechrau)" after an English prompt, no Welsh group name invented: as written."""
    consultation, run, _, _ = analysed
    consultation.languages = ["en"]  # not offered in Welsh: its words are as written
    session.add(consultation)
    session.commit()
    client.get(f"/manage/{consultation.slug}/themes/{run.id}?lang=cy")
    rows = _csv(_get(client, f"/manage/{consultation.slug}/themes/{run.id}/answers.csv"))
    assert rows[0] == HEADINGS["cy"]  # the file's own words follow the facilitator
    asked = {r[2] for r in rows[1:]}
    first = _question(session, consultation, AGAIN)
    assert f"{first.prompt} (at the start)" in asked
    assert not [a for a in asked if "(ar y " in a]
    english = {o["label"] for o in _segment(session, consultation).config["options"]}
    assert {r[7] for r in rows[1:]} <= english | {""}


def test_the_json_keeps_the_keys_and_values_programs_read(client, session, analysed):
    consultation, run, unplaced, flagged = analysed
    client.get(f"/manage/{consultation.slug}/themes/{run.id}?lang=cy")
    body = json.loads(_get(client, f"/manage/{consultation.slug}/themes/{run.id}/analysis.json"))
    answers = {a["answer_id"]: a for a in body["answers"]}
    assert set(answers[unplaced]) == {"answer_id", "question", "answer", "theme", "segment", "channel",
                                      "safeguarding_flag", "respondent_id", "subtheme", "sentiment"}
    assert {a["sentiment"] for a in answers.values()} <= {"negative", "mixed", "positive", None}
    assert answers[unplaced]["subtheme"] is None and answers[unplaced]["sentiment"] is None
    assert answers[unplaced]["theme"] == "No theme" and answers[flagged]["safeguarding_flag"] == "yes"
    keys = {str(o["key"]) for o in _segment(session, consultation).config["options"]}
    assert {a["segment"] for a in answers.values()} <= keys | {""}
    assert "online" in {a["channel"] for a in answers.values()} <= {"online", "workshop", "paper", "phone"}
    assert not [a for a in answers.values() if "(ar y " in a["question"]]


@pytest.fixture
def responded(app, session, client):
    return signed_in_lead_with_answers(app, session, client, 30)


def _responses(client, consultation) -> list[list[str]]:
    """The responses download as CSV (streamed) and as a workbook: the same cells in both."""
    base = f"/manage/c/{consultation.slug}/responses/all"
    rows = _csv(_get(client, f"{base}.csv"))
    assert _xlsx(_get(client, f"{base}.xlsx")) == rows
    return rows


def test_a_welsh_responses_download_gives_welsh_questions_wholly_in_welsh(client, session, responded):
    consultation = responded
    client.get(f"/manage/c/{consultation.slug}/responses?lang=cy")
    rows = _responses(client, consultation)
    header = rows[0]
    first = _question(session, consultation, AGAIN)
    column = header.index(f"{first.translations['cy']['prompt']} (ar y dechrau)")
    left, right = (p[0].lower() + p[1:] for p in WELSH_POLES)
    said = {r[column].split(". Pam: ")[0] for r in rows[1:]}
    allowed = {f"{how} {pole}" for how in ("Yn gryf o blaid", "O blaid", "Ychydig o blaid")
               for pole in (left, right)} | {"Y ddau yr un fath", "Dw i ddim yn gwybod", "Heb ei ateb"}
    assert said and said <= allowed, said - allowed
    assert not any("human connection" in r[column].lower() or "Why:" in r[column] for r in rows[1:])
    # Groups by their Welsh names, as the consultation gives them.
    segment = _segment(session, consultation)
    welsh_groups = {segment.translations["cy"][f"options.{o['key']}"] for o in segment.config["options"]}
    assert {r[2] for r in rows[1:]} <= welsh_groups | {""} and {r[2] for r in rows[1:]} & welsh_groups
    client.get("/?lang=en")


def test_in_welsh_a_trade_off_without_welsh_ends_is_written_in_english_not_half_and_half(
        client, session, responded):
    consultation = responded
    first = _question(session, consultation, AGAIN)
    cy = dict(first.translations["cy"])
    del cy["left"]  # its ends are given only in English
    first.translations = {"cy": cy}
    session.add(first)
    session.commit()
    client.get(f"/manage/c/{consultation.slug}/responses?lang=cy")
    rows = _responses(client, consultation)
    header = rows[0]
    assert header[:3] == ["Rhif yr ymatebydd", "Sianel", "Grŵp"]  # the file's own words: Welsh
    column = header.index(f"{first.prompt} (at the start)")  # the question as written, all English
    cells = [r[column] for r in rows[1:]]
    assert cells and not [c for c in cells if "o blaid" in c.lower() or "Pam:" in c or "Y ddau" in c]
    assert any(c.startswith(("Slightly prefer human connection", "Prefer faster diagnosis",
                             "Strongly prefer", "Prefer human connection", "Slightly prefer faster"))
               for c in cells)
    # The other questions the demo gives in Welsh are still in Welsh.
    assert any("o blaid" in r[i].lower() for r in rows[1:] for i in range(6, len(header)) if i != column)
    client.get("/?lang=en")
