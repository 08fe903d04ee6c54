"""The respondent's results page in Chromium: words first, a bar per answer inside a data table,
fits a 320 px phone, axe-clean. ENGAGE_SCREENSHOTS=DIR keeps the screenshots to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import Session

from engage.sample_responses import add_sample_responses

from ..factories import demo_consultation
from ..journey_helpers import SLUG, complete

pytestmark = pytest.mark.browser


@pytest.fixture
def answered(browser_app):
    """40 sample responses and this browser's own, sent (results show only after answering)."""
    with Session(browser_app.extensions["engage.db"]) as s:
        add_sample_responses(s, demo_consultation(s), 40)
        s.commit()
    browser_app.config["WTF_CSRF_ENABLED"] = False
    client = browser_app.test_client()
    complete(client)
    browser_app.config["WTF_CSRF_ENABLED"] = True
    return client.get_cookie("session").value


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_results_read_as_words_and_charts_with_their_data(chromium, live_server, answered, width,
                                                          tmp_path, assert_accessible):
    ctx = chromium.new_context(viewport={"width": width, "height": 900})
    ctx.add_cookies([{"name": "session", "value": answered, "url": live_server.url}])
    page = ctx.new_page()
    page.goto(f"{live_server.url}/c/{SLUG}/results")
    assert page.get_by_role("heading", level=1).inner_text() == "What others have said so far"
    sections = page.locator(".engage-result")
    assert sections.count() >= 8
    first = sections.first
    assert first.locator("p").first.inner_text().startswith("Most common answer: ")
    assert first.locator("table[aria-labelledby]").count() == 1
    assert first.locator("svg[aria-hidden=true]").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    folder = Path(os.environ.get("ENGAGE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"results-{width}.png"), full_page=True)
    ctx.close()
