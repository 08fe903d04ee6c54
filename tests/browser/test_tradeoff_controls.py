"""One control per trade-off answer: radios without JavaScript, the slider with it (never both),
nothing chosen until the person chooses, and "I don't know" always possible.

Set ENGAGE_SCREENSHOTS=DIR to keep the screenshots (360 px and 1280 px) for a person to look at.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from surveys.models import Answer, Question

from ..factories import demo_consultation
from ..journey_helpers import SLUG

pytestmark = pytest.mark.browser

NAME = "q-connection-vs-speed-before"
POINTS = f"input[name='{NAME}']:not([value='dont-know'])"


@pytest.fixture
def demo(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return demo_consultation(s)


@pytest.fixture
def person(chromium, live_server, demo):
    """A new browser (JavaScript on or off, any width) that has agreed to take part and is on
    the first trade-off page."""
    contexts = []

    def make(width: int, javascript: bool = True):
        ctx = chromium.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/c/{SLUG}/consent")
        page.get_by_text("I have read this and I want to take part").click()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/p/about-you")
        page.goto(f"{live_server.url}/c/{SLUG}/p/first-view")
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def stored(app) -> list:
    with Session(app.extensions["engage.db"]) as s:
        return s.exec(select(Answer.value).join(Question, Answer.question_id == Question.id)
                      .where(Question.key == "connection-vs-speed-before")).all()


def visible_controls(page) -> dict:
    return page.evaluate(f"""() => ({{
      points: [...document.querySelectorAll("{POINTS}")].filter(r => r.checkVisibility()).length,
      sliders: [...document.querySelectorAll('input[type=range]')].filter(r => r.checkVisibility()).length,
      dontKnow: document.querySelector("input[name='{NAME}'][value='dont-know']").checkVisibility(),
      checked: document.querySelector("input[name='{NAME}']:checked")?.value ?? null,
      height: document.querySelector('#question-connection-vs-speed-before').getBoundingClientRect().height,
    }})""")


def continue_(page):
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/briefing-*")


def test_without_javascript_the_radios_answer(person, browser_app, shots):
    page = person(360, javascript=False)
    controls = visible_controls(page)
    assert (controls["points"], controls["sliders"], controls["dontKnow"], controls["checked"]) == \
        (7, 0, True, None)
    page.screenshot(path=str(shots / "tradeoff-radios-360.png"), full_page=True)
    page.get_by_label("Prefer human connection", exact=True).check()
    continue_(page)
    assert stored(browser_app) == [-2]


@pytest.mark.parametrize("width", [360, 1280])
def test_with_javascript_the_slider_alone_answers(person, browser_app, shots, width, assert_accessible):
    page = person(width)
    controls = visible_controls(page)
    # One control: the slider (and "I don't know"), nothing chosen, no thumb shown.
    assert (controls["points"], controls["sliders"], controls["dontKnow"], controls["checked"]) == \
        (0, 1, True, None)
    assert "engage-slider--unset" in page.locator(".engage-slider").get_attribute("class")
    # The question fits well within a phone screen (it was ~1,600 px with both controls).
    assert controls["height"] < 800, controls
    page.screenshot(path=str(shots / f"tradeoff-slider-{width}.png"), full_page=True)
    assert_accessible(page)
    page.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")  # from the (unshown) middle, one step right
    assert page.locator(f"{POINTS}:checked").get_attribute("value") == "1"
    page.screenshot(path=str(shots / f"tradeoff-slider-chosen-{width}.png"), full_page=True)
    continue_(page)
    assert stored(browser_app) == [1]


@pytest.mark.parametrize("javascript", [True, False])
def test_i_dont_know_answers_a_required_tradeoff(person, browser_app, live_server, javascript):
    page = person(360, javascript=javascript)
    page.get_by_role("button", name="Continue").click()
    error = page.locator(".nhsuk-error-summary")
    assert "or select I don't know" in error.inner_text()
    page.get_by_label("I don't know").check()
    continue_(page)
    assert stored(browser_app) == ["dont-know"]
    page.goto(f"{live_server.url}/c/{SLUG}/p/first-view")
    assert page.get_by_label("I don't know").is_checked()
    assert page.locator(f"{POINTS}:checked").count() == 0
