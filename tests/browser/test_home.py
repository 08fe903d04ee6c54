"""The home page and a start page in a real browser: NHS.UK styling applied, and axe-clean."""

import pytest
from sqlmodel import Session

from ..factories import demo_consultation

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return demo_consultation(s)


def test_home_lists_demo_with_nhs_styling(live_server, page, demo, assert_accessible):
    page.goto(live_server.url + "/")
    assert page.locator("header.nhsuk-header").is_visible()
    # The vendored NHS.UK stylesheet is applied: the header is NHS blue.
    assert page.eval_on_selector("header.nhsuk-header",
                                 "e => getComputedStyle(e).backgroundColor") == "rgb(0, 94, 184)"
    # The NHS.UK JavaScript ran (its body class is set by the nonce'd inline script).
    assert "nhsuk-frontend-supported" in page.eval_on_selector("body", "e => e.className")
    page.get_by_role("link", name="Technology in the NHS").click()
    page.wait_for_url("**/c/technology-in-the-nhs/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Technology in the NHS")
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/privacy", "/accessibility", "/account/sign-in",
                                  "/no-such-page"])
def test_pages_have_no_axe_violations(live_server, page, path, assert_accessible):
    page.goto(live_server.url + path)
    page.keyboard.press("Tab")
    # The first Tab stop is the skip link, and it leads to the main content.
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    assert_accessible(page)


def test_pages_load_nothing_from_outside(live_server, page, demo):
    """Patients' browsers contact only this server: no fonts, scripts or trackers from elsewhere."""
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    failures = []
    page.on("console", lambda m: failures.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/c/technology-in-the-nhs/")
    page.wait_for_load_state("networkidle")
    assert requests and all(u.startswith((live_server.url, "data:")) for u in requests), requests
    assert failures == []
