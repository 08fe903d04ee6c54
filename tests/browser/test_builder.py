"""Building, previewing and opening a consultation in a real browser, axe-clean (WCAG 2.2 AA)."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from ..factories import user
from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def facilitator(browser_app):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        return user(s, "builder@example.nhs.uk", "facilitator")


def test_build_preview_and_open(live_server, page, facilitator, assert_accessible):
    sign_in(page, live_server, facilitator.email)
    assert_accessible(page)

    page.get_by_role("link", name="Create a consultation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create consultation").click()  # empty: the error summary
    # The form posts back to the same address, so wait for the answer rather than the address.
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Web address name").fill("future-of-care")
    page.get_by_label("Title").fill("The future of care")
    page.get_by_role("button", name="Create consultation").click()
    page.wait_for_url("**/manage/c/future-of-care/")

    page.get_by_role("button", name="Add a page").click()
    page.get_by_label("Questions", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/pages/new?kind=questions")
    assert_accessible(page)
    page.get_by_label("Page key").fill("views")
    page.get_by_label("Title").fill("Your views")
    page.get_by_role("button", name="Add page").click()
    page.wait_for_url("**/manage/c/future-of-care/#page-views")

    page.get_by_role("link", name="Add a question to Your views").click()
    page.get_by_label("Trade-off between two things").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Question key").fill("people-or-speed")
    page.get_by_label("Question", exact=True).fill("What matters more to you?")
    page.get_by_label("Left pole").fill("Human connection")
    page.get_by_label("Right pole").fill("Speed of diagnosis")
    page.get_by_label("An answer is needed").check()
    page.get_by_role("button", name="Add question").click()
    page.wait_for_url("**/manage/c/future-of-care/#page-views")
    assert page.get_by_text("What matters more to you?").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Preview Your views").click()
    page.wait_for_url("**/preview/views")
    assert page.get_by_role("group", name="What matters more to you?").is_visible()
    # Seven points on the scale, and "I don't know".
    assert page.locator("input[name='q-people-or-speed']:not([value='dont-know'])").count() == 7
    assert page.locator("input[name='q-people-or-speed'][value='dont-know']").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Back to the builder").click()

    page.get_by_role("button", name="Open for responses").click()
    page.wait_for_url("**/manage/c/future-of-care/")
    assert page.locator(".nhsuk-tag", has_text="Open").first.is_visible()
    assert page.get_by_role("button", name="Add a page").count() == 0  # the structure is frozen
    assert_accessible(page)
    page.goto(live_server.url + "/c/future-of-care/")
    assert page.get_by_role("heading", level=1).inner_text() == "The future of care"
