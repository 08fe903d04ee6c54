"""After sending, the back button and a second tab lead to "answers sent", never to an error page
that makes the person think their answers were lost."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from ..factories import demo_consultation
from ..journey_helpers import SLUG
from .test_links_to_questions import walk_to_check

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return demo_consultation(s)


def test_back_and_a_second_tab_after_sending_say_the_answers_were_sent(page, context, live_server, demo,
                                                                       assert_accessible):
    walk_to_check(page, live_server.url)
    second = context.new_page()  # a tab left open on a question page
    second.goto(f"{live_server.url}/c/{SLUG}/p/first-view")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url("**/done")
    reference = page.locator("#reference").inner_text()
    for _ in range(3):  # back to check your answers, then to question pages
        response = page.go_back()
        assert response is None or response.status < 400
        page.wait_for_url("**/done")
        assert reference in page.locator("main").inner_text()
    assert_accessible(page)

    with second.expect_navigation():
        second.locator("#continue").click()
    assert second.url.endswith(f"/c/{SLUG}/done")
    main = second.locator("main").inner_text()
    assert reference in main
    assert "You have already sent your answers, so nothing you changed afterwards was saved." in \
        second.locator("body").inner_text()
    assert_accessible(second)
