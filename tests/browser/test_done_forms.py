"""The page after sending answers has two email forms (the receipt, and hearing the outcome): each
has its own field, so an error links to the field it is about and an address typed in one is not
shown in the other."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from ..factories import demo_consultation
from ..journey_helpers import SLUG, complete
from ..smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def sent(browser_app, smtp_server, context):  # noqa: F811
    """A browser whose person has sent their answers, on a site that can send email."""
    use_mail_server(browser_app, smtp_server)
    with Session(browser_app.extensions["engage.db"]) as s:
        demo_consultation(s)
    client = browser_app.test_client()
    browser_app.config["WTF_CSRF_ENABLED"] = False  # the answers are sent by the test client,
    complete(client)
    browser_app.config["WTF_CSRF_ENABLED"] = True  # the page is used by the browser, as a person would
    cookie = client.get_cookie("session")
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "domain": "127.0.0.1", "path": "/"}])


def test_an_error_in_the_outcome_form_links_to_its_own_field(page, live_server, sent, assert_accessible):
    page.goto(f"{live_server.url}/c/{SLUG}/done")
    outcome = page.locator("form", has=page.get_by_role("button", name="Tell me the outcome"))
    outcome.locator("input[type=email]").fill("not an address")
    outcome.get_by_role("button", name="Tell me the outcome").click()
    page.wait_for_url("**/updates")
    summary = page.locator(".nhsuk-error-summary")
    link = summary.get_by_role("link", name="Enter an email address in the correct format")
    link.click()
    # The outcome form's own field has the focus (not the receipt's, further up the page).
    assert page.evaluate("document.activeElement.closest('form').action").endswith("/updates")
    assert page.evaluate("document.activeElement.value") == "not an address"
    assert outcome.get_by_label("Email address", exact=True).input_value() == "not an address"
    # The address typed for the outcome is not shown in the receipt's field.
    receipt = page.locator("form", has=page.get_by_role("button", name="Email me the code"))
    assert receipt.get_by_label("Email address", exact=True).input_value() == ""
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "an id is used twice"
    assert_accessible(page)
