"""Save and come back later sends the page: what was typed on it is there when the person comes
back with the link, in another browser (with JavaScript and without)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from ..factories import demo_consultation
from ..journey_helpers import SLUG

pytestmark = pytest.mark.browser

WHY = "#q-connection-vs-speed-before-why"
TYPED = "typed but not continued"


@pytest.fixture
def demo(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return demo_consultation(s)


def agree(page, base_url: str) -> None:
    page.goto(f"{base_url}/c/{SLUG}/consent")
    page.get_by_label("I have read this and I want to take part").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/about-you")


@pytest.mark.parametrize("javascript", [True, False])
def test_what_was_typed_is_there_when_the_person_comes_back(chromium, live_server, demo, javascript,
                                                            assert_accessible):
    ctx = chromium.new_context(viewport={"width": 320, "height": 740}, java_script_enabled=javascript)
    page = ctx.new_page()
    agree(page, live_server.url)
    page.goto(f"{live_server.url}/c/{SLUG}/p/first-view")
    if javascript:
        assert_accessible(page)
    # The trade-off, required, is left unchosen: saving for later is not stopped by it.
    page.locator(WHY).fill(TYPED)
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url("**/save")
    assert page.get_by_role("heading", name="Your answers are saved").is_visible()
    assert "Everything you have answered so far is saved" in page.locator("main").inner_text()
    if javascript:
        assert_accessible(page)
    link = page.locator("#resume-link").inner_text().strip()
    ctx.close()

    later = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
    page = later.new_page()
    page.goto(link)
    page.wait_for_url("**/p/first-view")
    assert page.locator(WHY).input_value() == TYPED
    later.close()


def test_an_answer_that_could_not_be_saved_stays_on_the_page_as_typed(page, live_server, demo,
                                                                      assert_accessible):
    agree(page, live_server.url)
    page.goto(f"{live_server.url}/c/{SLUG}/p/technology-budget")
    page.locator("#q-technology-budget-share-fix-existing-systems").fill("90")  # not 100
    page.locator("#q-fix-one-thing").fill("Faster letters")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url("**/p/technology-budget")
    summary = page.locator(".nhsuk-error-summary")
    assert "Your points add up to 90. They must add up to exactly 100" in summary.inner_text()
    assert page.locator("#q-fix-one-thing").input_value() == "Faster letters"
    assert page.locator("#q-technology-budget-share-fix-existing-systems").input_value() == "90"
    assert_accessible(page)
    page.locator("#q-technology-budget-share-fix-existing-systems").fill("100")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url("**/save")
    assert "Everything you have answered so far is saved" in page.locator("main").inner_text()
