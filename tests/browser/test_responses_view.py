"""The responses view in a real browser: totals, a trade-off summary, written answers with a search
and one respondent, each with meaningful content and axe-clean (WCAG 2.2 AA)."""

import re

import pytest
from sqlmodel import Session, func, select

from surveys.models import Answer, Respondent

from ..engage.facilitate.fill import fill
from ..factories import demo_consultation, user
from .conftest import sign_in

pytestmark = pytest.mark.browser

N = 40


@pytest.fixture
def filled(browser_app):
    """The demo consultation with N synthetic responses, and a facilitator who may see them."""
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        consultation = demo_consultation(s)
        fill(s, consultation, N, seed=5, batch=20)
        facilitator = user(s, "responses@example.nhs.uk", "facilitator", (consultation,))
        completed = s.exec(select(func.count()).select_from(Respondent)
                           .where(Respondent.submitted_at.is_not(None))).one()
        phone = s.exec(select(func.count()).select_from(Answer)
                       .where(Answer.text_redacted.contains("[phone number]"))).one()
    return consultation, facilitator, completed, phone


def test_responses_pages(live_server, page, filled, assert_accessible):
    consultation, facilitator, completed, phone = filled
    sign_in(page, live_server, facilitator.email)

    # Totals: started and completed, the completion funnel and the channel/group tables.
    page.goto(f"{live_server.url}/manage/c/{consultation.slug}/responses")
    assert page.get_by_role("heading", level=1).inner_text() == "Responses"
    assert f"{N} started, {completed} completed" in page.locator("main").inner_text()
    assert page.get_by_role("table", name="People who reached each page").is_visible()
    assert page.get_by_role("table", name="By group").get_by_text("I work for the NHS").is_visible()
    assert_accessible(page)

    # A trade-off page: diverging bars for everyone and each group, and before/after.
    page.locator("main").get_by_role("link", name="Your thoughts now").first.click()
    page.wait_for_url("**/responses/questions/possible-vs-desirable")
    summary = page.locator("section.engage-summary").first
    assert summary.locator("svg").count() >= 2
    assert summary.get_by_text("Average position").is_visible()
    assert page.get_by_role("heading", name="Before and after").is_visible()
    assert "people answered both times" in summary.inner_text()
    assert_accessible(page)

    # Written answers, searched through the filter form; personal details are never shown.
    page.locator("main").get_by_role("link", name="Written answers").first.click()
    page.wait_for_url("**/responses/text**")
    page.get_by_label("Containing").fill("phone")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**q=phone**")
    status = page.get_by_role("status").inner_text()
    assert status.startswith(f"{phone} answer") and "containing “phone”" in status
    quotes = page.locator("blockquote.engage-quote")
    assert quotes.count() == min(phone, 25) and "[phone number]" in quotes.first.inner_text()
    assert "07700" not in page.content()
    assert_accessible(page)

    # One respondent, reached from a written answer.
    link = page.locator("main").get_by_role("link", name=re.compile(r"^Response \d+$")).first
    number = link.inner_text().removeprefix("Response ").strip()
    assert number.isdigit()
    link.click()
    page.wait_for_url(f"**/responses/r/{number}")
    assert page.get_by_role("heading", level=1).inner_text() == f"Response {number}"
    assert page.get_by_text("[phone number]").first.is_visible()
    assert "07700" not in page.content()
    assert_accessible(page)
