"""Progressive enhancements (static/js/tradeoff.js, static/js/allocate.js) in Chromium."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from surveys.models import Answer, Question

from ..factories import demo_consultation
from ..journey_helpers import SLUG

pytestmark = pytest.mark.browser

PROMPT = "Where do you stand? If you had to choose, which matters more to you in your care?"
RADIOS = "input[name='q-connection-vs-speed-before']:not([value='dont-know'])"
DONT_KNOW = "input[name='q-connection-vs-speed-before'][value='dont-know']"
SLIDER = "#q-connection-vs-speed-before.engage-slider__input"  # the slider has the question's id
# Records Content-Security-Policy violations (init scripts run outside the page's CSP).
WATCH_CSP = """document.addEventListener('securitypolicyviolation',
  e => (window.cspViolations = window.cspViolations || []).push(e.violatedDirective + ' ' + e.blockedURI))"""


@pytest.fixture
def demo(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return demo_consultation(s)


@pytest.fixture
def respondent(live_server, page, demo):
    """A browser that has agreed to take part; returns a function that opens a question page."""
    page.set_default_timeout(10_000)
    page.context.add_init_script(WATCH_CSP)
    page.goto(f"{live_server.url}/c/{SLUG}/consent")
    page.get_by_label("I have read this and I want to take part").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/about-you")

    def open_page(key: str):
        page.goto(f"{live_server.url}/c/{SLUG}/p/{key}")
        return page
    yield open_page
    violations = page.evaluate("window.cspViolations || []")
    # The NHS.UK stylesheet asks for its web fonts from assets.nhs.uk, which font-src blocks
    # (the page falls back to Arial). Anything else, such as an inline style, is a failure here.
    assert [v for v in violations if not v.startswith("font-src")] == []


def checked_value(page) -> str | None:
    return page.evaluate(f"document.querySelector(\"{RADIOS}:checked\")?.value ?? null")


def slider_state(page) -> tuple[str, str]:
    slider = page.locator(SLIDER)
    return slider.input_value(), slider.get_attribute("aria-valuetext")


def test_slider_is_added_above_the_radios_and_labelled_by_the_question(respondent):
    page = respondent("first-view")
    slider = page.get_by_role("slider", name=PROMPT)
    assert slider.count() == 1
    assert (slider.get_attribute("min"), slider.get_attribute("max"), slider.get_attribute("step")) == \
        ("-3", "3", "1")
    # Not a form field of its own: the radios are what is sent.
    assert slider.get_attribute("name") is None
    # One control per answer: the 7 radios are still the form field, but out of sight; only
    # "I don't know" is left of them, under the slider.
    assert page.locator(RADIOS).count() == 7
    assert [page.locator(RADIOS).nth(i).is_visible() for i in range(7)] == [False] * 7
    assert page.locator(DONT_KNOW).is_visible()
    assert page.evaluate(f"""document.querySelector('{SLIDER}').compareDocumentPosition(
        document.querySelector("{DONT_KNOW}")) & Node.DOCUMENT_POSITION_FOLLOWING""")
    # Nothing is chosen yet, and the slider says so rather than pretending the middle is chosen.
    assert slider_state(page)[1] == "Not chosen yet" and checked_value(page) is None
    assert "engage-slider--unset" in page.locator(".engage-slider").get_attribute("class")
    poles = page.locator(".engage-slider__pole")
    assert poles.all_inner_texts() == ["Human connection", "Faster diagnosis"]
    # The poles sit at each end of the slider.
    track, left, right = (page.locator(s).bounding_box() for s in
                          (SLIDER, ".engage-slider__pole--left", ".engage-slider__pole--right"))
    assert abs(left["x"] - track["x"]) < 2
    assert abs((right["x"] + right["width"]) - (track["x"] + track["width"])) < 2
    assert track["height"] >= 24 and track["width"] >= 24
    assert page.locator(".engage-slider [style]").count() == 0


def test_i_dont_know_unsets_the_slider_and_a_point_unsets_i_dont_know(respondent):
    page = respondent("first-view")
    page.locator(".engage-slider__point[data-value='-3']").click()
    assert slider_state(page) == ("-3", "Strongly prefer human connection")
    assert "engage-slider--unset" not in page.locator(".engage-slider").get_attribute("class")
    assert page.locator(".engage-slider__chosen").inner_text() == \
        "Your choice: Strongly prefer human connection"
    page.get_by_label("I don't know").check()
    assert slider_state(page)[1] == "Not chosen yet" and checked_value(page) is None
    assert "engage-slider--unset" in page.locator(".engage-slider").get_attribute("class")
    page.locator(".engage-slider__point[data-value='1']").click()
    assert checked_value(page) == "1" and not page.get_by_label("I don't know").is_checked()


def test_arrow_keys_on_the_slider_choose_the_radio(respondent):
    page = respondent("first-view")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches('{SLIDER}')"):
            break
    else:
        raise AssertionError("the slider is not in the tab order")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert checked_value(page) == "-2"
    assert slider_state(page) == ("-2", "Prefer human connection")
    page.keyboard.press("End")
    assert checked_value(page) == "3" and slider_state(page)[1] == "Strongly prefer faster diagnosis"
    page.keyboard.press("Home")
    assert checked_value(page) == "-3"
    page.keyboard.press("ArrowRight")
    assert checked_value(page) == "-2"


def test_clicking_a_point_needs_no_dragging(respondent):
    page = respondent("first-view")
    box = page.locator(SLIDER).bounding_box()
    thumb = 32  # the thumb's width in engage.css: its centre runs from 16px to width - 16px

    def x_of(value):
        return box["x"] + thumb / 2 + (box["width"] - thumb) * (value + 3) / 6

    # The middle, while nothing is chosen: the value does not change, but it is chosen.
    page.mouse.click(x_of(0), box["y"] + box["height"] / 2)
    assert checked_value(page) == "0" and slider_state(page) == ("0", "Both equally")
    page.mouse.click(x_of(2), box["y"] + box["height"] / 2)
    assert checked_value(page) == "2"
    # The tick marks under the track are bigger targets for the same points.
    page.locator(".engage-slider__point[data-value='-1']").click()
    assert checked_value(page) == "-1" and slider_state(page)[0] == "-1"
    point = page.locator(".engage-slider__point").first.bounding_box()
    assert point["width"] >= 24 and point["height"] >= 24


def test_slider_choice_is_saved_and_shown_again(respondent):
    page = respondent("first-view")
    page.locator(SLIDER).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/briefing-*")
    page = respondent("first-view")
    assert checked_value(page) == "3"
    assert slider_state(page) == ("3", "Strongly prefer faster diagnosis")


def test_every_tradeoff_gets_its_own_slider_and_other_pages_none(respondent):
    page = respondent("about-you")
    assert page.locator(".engage-slider, input[type=range]").count() == 0
    page = respondent("commitment-vs-evaluation")
    assert page.get_by_role("slider", name="Where do you stand? Once the NHS has started using a new "
                                           "technology, what should it do?").count() == 1
    assert page.locator(".engage-slider__pole").all_inner_texts() == [
        "Sticking to the plan and seeing it through", "Checking openly and changing course if needed"]
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_allocation_shows_a_live_running_total(respondent):
    page = respondent("technology-budget")
    total = page.locator("#q-technology-budget-share-total")
    assert total.get_attribute("aria-live") == "polite"
    assert total.inner_text() == "You have used 0 of 100 points. 100 left."
    page.get_by_label("Making existing systems, like patient records, quicker and easier to use").fill("40")
    page.get_by_label("Training and support so staff can use technology well").fill("30")
    assert total.inner_text() == "You have used 70 of 100 points. 30 left."
    page.get_by_label("Buying new technology that has already been shown to work").fill("20")
    page.get_by_label("Trying out new ideas in small pilots").focus()
    page.keyboard.type("20")
    assert total.inner_text() == "You have used 110 of 100 points. 10 too many."
    assert "engage-allocate__total--over" in total.get_attribute("class")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("1o")  # not a whole number: not counted (the server explains the error)
    assert total.inner_text() == "You have used 90 of 100 points. 10 left."
    page.get_by_label("Trying out new ideas in small pilots").fill("10")
    assert total.inner_text() == "You have used 100 of 100 points. 0 left."
    assert "engage-allocate__total--over" not in total.get_attribute("class")


def test_allocation_total_counts_amounts_already_saved(respondent):
    page = respondent("technology-budget")
    for label, amount in (("Making existing systems", "50"), ("Training and support", "50")):
        page.get_by_label(label).fill(amount)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/briefing-*")
    page = respondent("technology-budget")
    assert page.locator(".engage-allocate__total").inner_text() == \
        "You have used 100 of 100 points. 0 left."


def test_journey_answer_from_slider_is_stored(respondent, browser_app, live_server):
    """What the slider chose is what the server stores (it comes from the radios)."""
    page = respondent("about-you")
    page.get_by_text("I am a patient or have been one recently").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/first-view")
    page.locator(SLIDER).focus()
    page.keyboard.press("ArrowLeft")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/briefing-*")
    with Session(browser_app.extensions["engage.db"]) as s:
        values = s.exec(select(Answer.value).join(Question, Answer.question_id == Question.id)
                        .where(Question.key == "connection-vs-speed-before")).all()
    assert values == [-1]
    page.goto(f"{live_server.url}/c/{SLUG}/check")
    assert "Slightly prefer human connection" in page.locator("main").inner_text()


def test_the_character_count_counts_an_emoji_once_as_the_server_does(respondent, live_server):
    page = respondent("first-view")
    reason = page.get_by_label("Why did you choose this? (optional)")
    status = page.locator("#q-connection-vs-speed-before-why-info ~ .nhsuk-character-count__status")
    # 1000 characters, the limit, one of them an emoji (two UTF-16 units, one code point).
    reason.fill("x" * 999 + "\N{GRINNING FACE}")
    assert status.inner_text() == "You have 0 characters remaining"
    reason.fill("x" * 1000 + "\N{GRINNING FACE}")
    assert status.inner_text() == "You have 1 character too many"
    # The server agrees: the first is taken, the second refused.
    page.locator(DONT_KNOW).check()
    page.get_by_role("button", name="Continue").click()
    assert "1000 characters or fewer" in page.locator(".nhsuk-error-summary").inner_text()
    reason.fill("x" * 999 + "\N{GRINNING FACE}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: not url.endswith("/p/first-view"))
    assert page.locator(".nhsuk-error-summary").count() == 0
