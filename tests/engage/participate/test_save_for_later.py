"""Save and come back later: a button of the page's form, so what is typed on the page is saved
first (each answer whole or not at all; a required question left blank does not stop it)."""

import re

import pytest
from sqlmodel import select

from surveys.models import Answer, Question, Respondent

from ...factories import demo_consultation
from ...journey_helpers import DEMO_ANSWERS, SLUG, begin
from ..workshop.helpers import make_workshop

SAVE = {"save-for-later": "1"}
BUDGET = "You have 100 points to share out."  # the start of the budget question's prompt


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def answer_to(session, key: str) -> Answer | None:
    return session.exec(select(Answer).join(Question, Question.id == Answer.question_id)
                        .where(Question.key == key)).first()


def resume_in_a_new_browser(app, save_page: str):
    link = save_page.split('id="resume-link">')[1].split("<")[0].replace("http://localhost", "")
    other = app.test_client()
    location = other.get(link).headers["Location"]
    return other, other.get(location).headers["Location"]


def test_the_button_sends_the_page_form(client, demo):
    begin(client)
    html = client.get(f"/c/{SLUG}/p/first-view").get_data(as_text=True)
    form = html.split('id="page-form"')[1].split("</form>")[0]
    start = form.index('name="save-for-later"')
    button = form[form.rindex("<button", 0, start):form.index(">", start)]
    assert "nhsuk-button--secondary" in button and 'type="submit"' in button
    assert "Save and come back later" in form
    # After Continue: Enter in a field sends the form as Continue.
    assert form.index('id="continue"') < form.index('name="save-for-later"')
    # No plain link that leaves the page without sending it.
    assert f'href="/c/{SLUG}/save"' not in html


def test_what_was_typed_is_saved_and_is_there_in_a_new_browser(client, app, session, demo):
    begin(client)
    assert client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "carer"}).status_code == 302
    # The required trade-off is left blank: saving for later is not stopped by it.
    response = client.post(f"/c/{SLUG}/p/first-view",
                           data={"q-connection-vs-speed-before-why": "typed but not continued", **SAVE})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/c/{SLUG}/save")
    answer = answer_to(session, "connection-vs-speed-before")
    assert answer.value is None and answer.text == "typed but not continued"
    assert session.exec(select(Respondent)).one().current_page == "first-view"
    save = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Everything you have answered so far is saved" in save and "could not save" not in save
    other, location = resume_in_a_new_browser(app, save)
    assert location.endswith("/p/first-view")  # back where they left
    page = other.get(location).get_data(as_text=True)
    assert "typed but not continued</textarea>" in page


def test_an_answer_that_cannot_be_saved_stays_on_the_page_as_typed(client, session, demo):
    # It was dropped on the way to the save page ("Answer it again when you carry on"): a reason
    # typed at length was lost with the point chosen on the line.
    begin(client)
    budget = {k: v for k, v in DEMO_ANSWERS["technology-budget"].items() if k != "q-fix-one-thing"}
    assert client.post(f"/c/{SLUG}/p/technology-budget", data=budget).status_code == 302
    before = dict(answer_to(session, "technology-budget-share").value)
    # Changed to add up to 90, with words typed in the other question of the page.
    wrong = {**budget, "q-technology-budget-share-new-pilots": "0", "q-fix-one-thing": "Faster letters"}
    response = client.post(f"/c/{SLUG}/p/technology-budget?change=1", data={**wrong, **SAVE})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "They must add up to exactly 100" in page
    assert "Faster letters</textarea>" in page
    assert 'name="q-technology-budget-share-new-pilots" type="text" value="0"' in page  # as typed
    session.expire_all()
    assert answer_to(session, "technology-budget-share").value == before  # never half-saved
    assert answer_to(session, "fix-one-thing") is None
    # Put right, the page is saved whole and the person gets the link.
    response = client.post(f"/c/{SLUG}/p/technology-budget?change=1",
                           data={**budget, "q-fix-one-thing": "Faster letters", **SAVE})
    assert response.status_code == 302 and response.headers["Location"].endswith("/save")
    session.expire_all()
    assert answer_to(session, "fix-one-thing").text == "Faster letters"


def test_a_reason_too_long_to_save_keeps_it_and_the_point_chosen(client, session, demo):
    begin(client)
    why = "I want a person to talk to. " * 40  # over the 1,000 characters a reason may have
    response = client.post(f"/c/{SLUG}/p/first-view", data={
        "q-connection-vs-speed-before": "-2", "q-connection-vs-speed-before-why": why, **SAVE})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert why.strip() in page
    assert re.search(r'value="-2"[^>]*checked|checked[^>]*value="-2"', page)
    session.expire_all()
    assert answer_to(session, "connection-vs-speed-before") is None


def test_a_blank_answer_clears_the_one_saved_before(client, session, demo):
    begin(client)
    client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "patient", "q-age-band": "45-to-64"})
    client.post(f"/c/{SLUG}/p/technology-budget", data={"q-fix-one-thing": "Old words"})
    assert client.post(f"/c/{SLUG}/p/technology-budget",
                       data={"q-fix-one-thing": "", **SAVE}).status_code == 302
    session.expire_all()
    assert answer_to(session, "fix-one-thing") is None
    assert answer_to(session, "role").value == "patient"  # other pages untouched


def test_saving_for_later_works_in_welsh(client, session, demo):
    client.get(f"/c/{SLUG}/?lang=cy")
    begin(client)
    html = client.get(f"/c/{SLUG}/p/about-you").get_data(as_text=True)
    assert "Cadw a dod yn ôl yn nes ymlaen" in html.split('id="page-form"')[1].split("</form>")[0]
    response = client.post(f"/c/{SLUG}/p/about-you", data={"q-age-band": "45-to-64", **SAVE})
    assert response.status_code == 302 and response.headers["Location"].endswith("/save")
    assert answer_to(session, "age-band").value == "45-to-64"


def test_the_kiosk_has_no_save_for_later(client, session, demo):
    workshop = make_workshop(session, demo)
    html = client.get(f"/workshop/k/{workshop.join_code}/1").get_data(as_text=True)
    assert "save-for-later" not in html and "Save and come back later" not in html


def test_the_preview_has_no_save_for_later(client, app, session, demo):
    from engage.participate.render import render_page
    from surveys import journey

    structure = journey.Structure.load(session, demo)
    with app.test_request_context():
        html = render_page(structure, structure.pages[0], preview=True)
    assert "save-for-later" not in html


def test_a_consultation_opened_again_gives_links_that_work(client, app, session, demo):
    """Closing stamps the closing time; opening again must clear it, or every new link to carry
    on has already run out and the save page gives a date in the past."""
    from ...factories import PASSWORD, user

    user(session, "lead@example.nhs.uk", "facilitator", consultations=(demo,))
    lead = app.test_client()
    lead.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    for status in ("closed", "open"):
        assert lead.post(f"/manage/c/{SLUG}/status", data={"status": status}).status_code in (302, 303)
    begin(client)
    client.post(f"/c/{SLUG}/p/about-you", data={"q-role": "carer", **SAVE})
    save = client.get(f"/c/{SLUG}/save").get_data(as_text=True)
    assert "could not save" not in save and "has closed" not in save
    other, location = resume_in_a_new_browser(app, save)
    assert location.endswith("/p/about-you")
    assert 'value="carer" checked' in other.get(location).get_data(as_text=True)
