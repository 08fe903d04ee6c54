"""A browser that has forgotten the person's response (8 hours away, or cookies cleared) says what
happened and each way on: the saved link, the reference code if they sent their answers, or
starting again."""

from __future__ import annotations

import re
from html import unescape

import pytest

from ...factories import consultation_from, demo_consultation
from ...journey_helpers import SLUG, begin
from ..i18n.every_type import DEFINITION
from ..i18n.every_type import SLUG as BILINGUAL


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def csrf_token(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)


def ways_on(html: str) -> None:
    """The page names what happened and offers every way on."""
    assert "We could not find your answers in this browser" in html
    assert "8 hours" in html
    assert "If you saved your answers" in html and "Save and come back later" in html
    assert f'href="/c/{SLUG}/withdraw"' in html  # sent already: the reference code takes them back
    start_again = re.search(r'<a[^>]*href="([^"]+)"[^>]*>\s*Start again\s*</a>', html)
    assert start_again and start_again.group(1) == f"/c/{SLUG}/consent"


def test_a_question_page_in_a_browser_that_forgot_offers_a_way_on(client, demo):
    response = client.get(f"/c/{SLUG}/p/first-view")
    assert response.status_code == 400
    ways_on(unescape(response.get_data(as_text=True)))
    # Starting again works from there.
    assert client.get(f"/c/{SLUG}/consent").status_code == 200
    assert "/p/" in begin(client)


def test_continue_pressed_hours_later_offers_a_way_on_not_reload(app, client, demo):
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token(client.get(f"/c/{SLUG}/consent"))
    first = client.post(f"/c/{SLUG}/consent", data={"agree": "y", "csrf_token": token}).headers["Location"]
    token = csrf_token(client.get(first))
    # 8 hours later the browser has dropped the session cookie (its lifetime), with the form's
    # secret in it: Continue on the page still open fails the form check.
    client.delete_cookie("session")
    response = client.post(first, data={"q-role": "patient", "csrf_token": token})
    assert response.status_code == 400
    html = unescape(response.get_data(as_text=True))
    ways_on(html)
    assert "reload the page" not in html  # reloading would only find nothing again


def test_a_page_open_too_long_with_the_response_still_known_says_reload(app, client, demo):
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token(client.get(f"/c/{SLUG}/consent"))
    first = client.post(f"/c/{SLUG}/consent", data={"agree": "y", "csrf_token": token}).headers["Location"]
    response = client.post(first, data={"q-role": "patient", "csrf_token": "stale"})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and "reload the page" in html and "Start again" not in html


def test_the_page_in_welsh_and_its_switch_after_a_form_sent(client, session):
    consultation_from(session, DEFINITION)
    response = client.post(f"/c/{BILINGUAL}/submit?lang=cy")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and '<html lang="cy"' in html
    assert "Dechrau eto" in html
    # The switch opens a page a link can open (not the form's address, which only takes forms).
    assert f'href="/c/{BILINGUAL}/continue?lang=en"' in html
    english = client.get(f"/c/{BILINGUAL}/continue?lang=en")
    assert english.status_code == 400
    assert "We could not find your answers in this browser" in english.get_data(as_text=True)
