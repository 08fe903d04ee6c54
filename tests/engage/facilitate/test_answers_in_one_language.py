"""The workspace's pages of answers, read in Welsh: one language per question.

A facilitator working in Welsh saw the consultation's English wrapped in Welsh fixed words on the
respondent page and the summaries ("Ychydig o blaid human connection"). The rule is the downloads'
(``surveys.response_export.as_read``): a question the consultation gives in Welsh in full is shown
wholly in Welsh, fixed words and all; any other wholly as written, in English, fixed words too.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlmodel import select

from surveys.models import Answer, Question

from ...factories import signed_in_lead_with_answers

#: The demo's trade-off asked at the start (its page, and its ends in Welsh: demo.yaml).
AGAIN, PAGE = "connection-vs-speed-before", "first-view"
#: Every way a trade-off's answer is written with a pole, in each language.
ENGLISH_HOW = ("Strongly prefer", "Prefer", "Slightly prefer")
WELSH_HOW = ("Yn gryf o blaid", "O blaid", "Ychydig o blaid")
WELSH_POLES = ("cysylltiad dynol", "diagnosis cyflymach")
ENGLISH_POLES = ("human connection", "faster diagnosis")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def _question(session, consultation) -> Question:
    return session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                               Question.key == AGAIN)).one()


def _someone_leaning(session, question) -> int:
    """A respondent who leaned one way on the trade-off (an answer written with a pole), and on
    another trade-off the demo gives in Welsh in full."""
    others = session.exec(select(Question.id).where(
        Question.consultation_id == question.consultation_id, Question.type == "tradeoff",
        Question.id != question.id, Question.repeat_of_id.is_(None))).all()
    leaning_elsewhere = {i for i, v in session.exec(select(Answer.respondent_id, Answer.value)
                                                    .where(Answer.question_id.in_(others)))
                         if _leans(v)}
    return next(i for i, v in session.exec(select(Answer.respondent_id, Answer.value)
                                           .where(Answer.question_id == question.id)
                                           .order_by(Answer.respondent_id))
                if _leans(v) and i in leaning_elsewhere)


def _leans(value) -> bool:
    return isinstance(value, int) and value != 0


def _mixed(text: str) -> list[str]:
    """Welsh fixed words around an English pole, or English ones around a Welsh pole."""
    return ([f"{how} {pole}" for how in WELSH_HOW for pole in ENGLISH_POLES
             if f"{how} {pole}".lower() in text.lower()]
            + [f"{how} {pole}" for how in ENGLISH_HOW for pole in WELSH_POLES
               if f"{how} {pole}".lower() in text.lower()])


def _untranslate_an_end(session, question) -> None:
    """The trade-off's left end given only in English, where it is asked and where it is asked
    again (the same prompt): neither is Welsh in full."""
    for q in session.exec(select(Question).where((Question.id == question.id)
                                                 | (Question.repeat_of_id == question.id))).all():
        cy = dict(q.translations["cy"])
        del cy["left"]
        q.translations = {"cy": cy}
        session.add(q)
    session.commit()


@pytest.fixture
def responded(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 30)
    question = _question(session, consultation)
    return consultation, question, _someone_leaning(session, question)


def test_in_welsh_a_question_given_in_welsh_is_wholly_welsh(client, session, responded):
    consultation, question, person = responded
    client.get("/?lang=cy")
    page = _page(client, f"/manage/c/{consultation.slug}/responses/r/{person}")
    welsh = question.translations["cy"]["prompt"]
    assert welsh in page and question.prompt not in page
    assert any(f"{how} {pole}" in page for how in WELSH_HOW for pole in WELSH_POLES)
    assert "Pam: " in page and "Why: " not in page
    assert not _mixed(page)

    summary = _page(client, f"/manage/c/{consultation.slug}/responses/questions/{PAGE}")
    assert welsh in summary and question.prompt not in summary
    assert f"Ychydig o blaid {WELSH_POLES[0]}" in summary
    assert "Human connection" not in summary and not _mixed(summary)
    assert ' lang="en"' not in summary.split("<main", 1)[1]
    client.get("/?lang=en")


def test_in_welsh_a_question_not_given_in_welsh_in_full_is_wholly_english(client, session, responded):
    consultation, question, person = responded
    _untranslate_an_end(session, question)
    client.get("/?lang=cy")
    page = _page(client, f"/manage/c/{consultation.slug}/responses/r/{person}")
    assert "Ymateb" in page  # the page's own words follow the facilitator
    assert question.prompt in page and question.translations["cy"]["prompt"] not in page
    assert any(f"{how} {pole}" in page for how in ENGLISH_HOW for pole in ENGLISH_POLES)
    assert not _mixed(page), _mixed(page)
    assert "o blaid" in page.lower()  # the questions the demo gives in Welsh are still in Welsh

    summary = _page(client, f"/manage/c/{consultation.slug}/responses/questions/{PAGE}")
    assert question.prompt in summary
    assert "Slightly prefer human connection" in summary
    assert "Ychydig o blaid human connection" not in summary and not _mixed(summary)
    # Its section's sentences too, and the section is marked as English for screen readers.
    assert f"Answers to: {question.prompt}" in summary
    assert "Average position, from −3 (Human connection) to +3 (Faster diagnosis)" in summary
    assert f'<section class="engage-summary" aria-labelledby="summary-{AGAIN}" lang="en">' in summary
    client.get("/?lang=en")


def test_the_english_workspace_is_as_written(client, session, responded):
    consultation, question, person = responded
    client.get("/?lang=en")
    page = _page(client, f"/manage/c/{consultation.slug}/responses/r/{person}")
    assert question.prompt in page and question.translations["cy"]["prompt"] not in page
    assert any(f"{how} {pole}" in page for how in ENGLISH_HOW for pole in ENGLISH_POLES)
    assert "o blaid" not in page and ' lang="en"' not in page.split("<main", 1)[1]
    summary = _page(client, f"/manage/c/{consultation.slug}/responses/questions/{PAGE}")
    assert "Slightly prefer human connection" in summary and "o blaid" not in summary


def test_written_answers_name_their_question_in_its_language(client, session, responded):
    consultation, question, _ = responded
    client.get("/?lang=cy")
    url = f"/manage/c/{consultation.slug}/responses/text?question={AGAIN}"
    page = _page(client, url)
    welsh = question.translations["cy"]["prompt"]
    assert f'engage-muted">{welsh} ·' in page
    _untranslate_an_end(session, question)
    page = _page(client, url)
    assert f'engage-muted"><span lang="en">{question.prompt}</span> ·' in page and welsh not in page
    client.get("/?lang=en")


def test_a_typed_in_paper_response_is_checked_in_one_language_per_question(client, session, responded):
    from ..paper.test_entry import paper_form

    consultation, question, _ = responded
    entry = f"/manage/c/{consultation.slug}/entry/"
    assert client.post(entry + "new", data=paper_form()).status_code == 302
    number = session.exec(select(Answer.respondent_id).where(Answer.question_id == question.id)
                          .order_by(Answer.respondent_id.desc())).first()
    client.get("/?lang=cy")
    page = _page(client, f"{entry}{number}/check")
    assert "O blaid cysylltiad dynol. Pam: I want a person to talk to" in page and not _mixed(page)
    _untranslate_an_end(session, question)
    page = _page(client, f"{entry}{number}/check")
    assert '<span lang="en">Prefer human connection. Why: I want a person to talk to</span>' in page
    assert f'<span lang="en">{question.prompt}</span>' in page and not _mixed(page)
    client.get("/?lang=en")
    page = _page(client, f"{entry}{number}/check")
    assert "Prefer human connection. Why: I want a person to talk to" in page
    assert ' lang="en"' not in page.split("<main", 1)[1]


def test_a_repeat_names_the_question_it_repeats_in_its_own_language(client, session, responded):
    """The trade-off asked again is Welsh in full, the first asking not: the repeat's section stays
    Welsh and quotes the first asking as written, marked as English; the other way round, the
    repeat's English section quotes it in English."""
    consultation, question, _ = responded
    again = session.exec(select(Question).where(Question.repeat_of_id == question.id)).one()
    welsh, english = question.translations["cy"]["prompt"], question.prompt
    cy = dict(question.translations["cy"])
    del cy["left"]
    question.translations = {"cy": cy}
    session.add(question)
    session.commit()
    client.get("/?lang=cy")
    url = f"/manage/c/{consultation.slug}/responses/questions/possible-vs-desirable"
    page = _page(client, url)
    assert f'Gofynnwyd yn gyntaf fel “<span lang="en">{english}</span>”.' in page
    assert "Symud tuag at Cysylltiad dynol" in page and not _mixed(page)

    question.translations = {"cy": {**cy, "left": "Cysylltiad dynol"}}
    cy_again = dict(again.translations["cy"])
    del cy_again["left"]
    again.translations = {"cy": cy_again}
    session.add_all([question, again])
    session.commit()
    page = _page(client, url)
    assert f"Asked first as “{english}”." in page and welsh not in page
    assert "Moved towards Human connection" in page and not _mixed(page)
    client.get("/?lang=en")


def test_an_agree_scale_moves_towards_words_in_the_language_served(app):
    """A repeated agree/disagree question's summary said "Symud tuag at agree" in Welsh."""
    from flask_babel import force_locale

    from surveys.types import get_type

    with app.test_request_context(), force_locale("cy"):
        assert get_type("likert").poles(None) == ("gytuno", "anghytuno")
    with app.test_request_context():
        assert get_type("likert").poles(None) == ("agree", "disagree")


def test_the_responses_pages_name_the_consultations_pages_in_welsh(client, session, responded):
    """The summaries' links and headings gave the pages' titles as written, in English, though
    the consultation gives them in Welsh ("Your first thoughts", not "Eich meddyliau cyntaf")."""
    from surveys.models import Page

    consultation, _, _ = responded
    first = session.exec(select(Page).where(Page.consultation_id == consultation.id,
                                            Page.key == PAGE)).one()
    welsh = first.translations["cy"]["title"]
    client.get("/?lang=cy")
    listing = _page(client, f"/manage/c/{consultation.slug}/responses")
    summary = _page(client, f"/manage/c/{consultation.slug}/responses/questions/{PAGE}")
    assert f">{welsh}</a>" in listing and first.title not in listing
    assert f"<h1>{welsh}</h1>" in summary and f"<title>{welsh} – " in summary
    client.get("/?lang=en")
    english = _page(client, f"/manage/c/{consultation.slug}/responses/questions/{PAGE}")
    assert f"<h1>{first.title}</h1>" in english
