"""Links to a question lead to a control the person can see and that takes focus: the error
summary's (a trade-off's leads to its slider, not to the radio the slider hides) and the Change
links on "check your answers" (for a budget or a ranking, its first box)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from ..factories import demo_consultation
from ..journey_helpers import SLUG

pytestmark = pytest.mark.browser

#: What the element a link names is, seen by the person: "missing", "hidden", or its tag and type,
#: whether it is now focused, and whether it takes focus.
TARGET = """(id) => {
  const el = document.getElementById(id)
  if (!el) return 'missing'
  if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') return 'hidden'
  const focusedOnArrival = document.activeElement === el
  el.focus()
  return [el.tagName.toLowerCase() + (el.type ? ':' + el.type : ''), focusedOnArrival,
          document.activeElement === el].join(' ')
}"""


@pytest.fixture
def demo(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return demo_consultation(s)


def walk_to_check(page, base_url: str, role: str = "patient") -> None:
    """Agree, then answer what is required on each page (the trade-offs with their sliders), with
    Continue, to "check your answers"."""
    page.goto(f"{base_url}/c/{SLUG}/consent")
    page.get_by_label("I have read this and I want to take part").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/about-you")
    while "/p/" in page.url:
        if page.locator("input[name='q-role']").count():
            radio = page.locator(f"input[name='q-role'][value='{role}']").get_attribute("id")
            page.locator(f"label[for='{radio}']").click()
        for point in page.locator(".engage-slider__point[data-value='1']").all():
            point.click()
        with page.expect_navigation():
            page.locator("#continue").click()
    assert page.url.endswith("/check")


@pytest.mark.parametrize("viewport", [None, {"width": 360, "height": 640}], ids=["desktop", "phone"])
def test_the_error_summary_link_of_a_tradeoff_focuses_its_slider(page, live_server, demo, assert_accessible,
                                                                viewport):
    """On a phone the question's long hint put the slider more than half a screen below its
    question, so the NHS.UK error summary scrolled to the slider alone: the question, the error
    and which end meant what were all above the screen."""
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/c/{SLUG}/consent")
    page.get_by_label("I have read this and I want to take part").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/about-you")
    page.goto(f"{live_server.url}/c/{SLUG}/p/first-view")
    with page.expect_navigation():  # nothing chosen on the slider
        page.locator("#continue").click()
    link = page.locator(".nhsuk-error-summary a[href='#q-connection-vs-speed-before']")
    assert link.count() == 1
    assert_accessible(page)
    link.click()
    focused = page.evaluate("[document.activeElement.id, document.activeElement.type]")
    assert focused == ["q-connection-vs-speed-before", "range"]
    assert page.locator("#q-connection-vs-speed-before").is_visible()
    # The question it asks is in view above it.
    assert page.locator("#question-connection-vs-speed-before legend").evaluate(
        "e => e.getBoundingClientRect().top >= 0")
    # And so are the error and the slider itself.
    on_screen = "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight }"
    question = "#question-connection-vs-speed-before"
    for seen in (f"{question} .nhsuk-error-message", "#q-connection-vs-speed-before"):
        assert page.locator(seen).evaluate(on_screen), seen


def test_every_change_link_leads_to_a_visible_control_that_takes_focus(page, live_server, demo,
                                                                       assert_accessible):
    walk_to_check(page, live_server.url, role="staff")
    assert_accessible(page)
    hrefs = page.eval_on_selector_all(
        "main .nhsuk-summary-list__actions a", "links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 20
    seen = {}
    for href in hrefs:
        page.goto(live_server.url + href)
        fragment = href.split("#")[1]
        seen[fragment] = page.evaluate(TARGET, fragment)
    wrong = {f: what for f, what in seen.items() if not what.endswith(" true true")}
    assert wrong == {}, wrong
    # A trade-off's link leads to its slider; a budget's and a ranking's to their first box.
    assert seen["q-connection-vs-speed-before"].startswith("input:range ")
    assert seen["q-technology-budget-share-fix-existing-systems"].startswith("input:text ")
    assert seen["q-technology-priorities-shared-records"].startswith("select:select-one ")
    budget = next(h for h in hrefs if h.endswith("#q-technology-budget-share-fix-existing-systems"))
    page.goto(live_server.url + budget)
    assert_accessible(page)


def test_without_javascript_a_change_link_leads_to_the_first_radio(chromium, live_server, demo):
    ctx = chromium.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/c/{SLUG}/consent")
    page.get_by_label("I have read this and I want to take part").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/about-you")
    page.goto(f"{live_server.url}/c/{SLUG}/p/first-view?change=1#q-connection-vs-speed-before")
    radio = page.locator("#q-connection-vs-speed-before")
    assert radio.get_attribute("type") == "radio" and radio.get_attribute("value") == "-3"
    assert radio.is_visible()
    ctx.close()
