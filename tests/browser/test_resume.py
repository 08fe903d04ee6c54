"""Save and come back later on a phone: a copy-link button, the date the link stops working."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from ..factories import demo_consultation
from ..journey_helpers import SLUG

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return demo_consultation(s)


def test_copy_link_copies_the_resume_link_and_says_so(chromium, live_server, demo, assert_accessible):
    ctx = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/c/{SLUG}/consent")
    page.get_by_text("I have read this and I want to take part").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/about-you")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url("**/save")
    link = page.locator("#resume-link").inner_text().strip()
    assert "The link works until" in page.locator("#resume-expires").inner_text()
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("status").filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    ctx.close()


def test_without_javascript_there_is_no_dead_copy_button(chromium, live_server, demo):
    ctx = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/c/{SLUG}/consent")
    page.get_by_text("I have read this and I want to take part").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/about-you")
    page.goto(f"{live_server.url}/c/{SLUG}/save")
    assert not page.get_by_role("button", name="Copy link").is_visible()
    assert page.locator("#resume-link").is_visible()
    ctx.close()
