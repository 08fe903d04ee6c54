"""The safeguarding lead's page in Chromium: the words as written, keyboard-reachable, axe-clean."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from surveys import responses
from surveys.models import Question

from ..factories import demo_consultation, user
from .conftest import sign_in

pytestmark = pytest.mark.browser

DISCLOSURE = "Mr Jones hit me again, my number is 07700 900456"


def test_the_lead_reaches_flagged_answers_from_the_workspace(browser_app, live_server, page,
                                                             assert_accessible):
    browser_app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    with Session(browser_app.extensions["engage.db"]) as s:
        consultation = demo_consultation(s)
        respondent, _ = responses.start_response(s, consultation)
        question = s.exec(select(Question).where(Question.key == "what-matters-most")).one()
        parsed, errors = responses.parse_page([question], {f"q-{question.key}": DISCLOSURE})
        assert errors == {}
        responses.save_answer(s, respondent, question, parsed[question.key], None)
        s.commit()
        user(s, "lead@example.nhs.uk", "viewer")
    sign_in(page, live_server, "lead@example.nhs.uk")
    page.get_by_role("link", name="Possible safeguarding concerns").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Possible safeguarding concerns").wait_for()
    assert page.get_by_text(DISCLOSURE).is_visible()
    assert "not sent yet" in page.content()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    page.get_by_role("button", name="No action needed").click()
    expect(page.get_by_text("No answers are waiting")).to_be_visible()
    expect(page.get_by_text("Recorded: no action needed.")).to_be_visible()
    expect(page.get_by_text(DISCLOSURE)).to_have_count(0)
    page.get_by_role("link", name="Dealt with (1)").click()
    expect(page.get_by_text(DISCLOSURE)).to_be_visible()
    expect(page.get_by_text("No action needed: lead@example.nhs.uk")).to_be_visible()
    assert_accessible(page)
