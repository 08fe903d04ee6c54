"""The whole respondent journey in Chromium: on a phone, keyboard only, without JavaScript; every
page axe-clean, usable at 320 px wide, with targets of at least 24×24 px (WCAG 2.2 SC 2.5.8)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from surveys.models import Answer, Question, Respondent

from ..factories import demo_consultation
from ..journey_helpers import DEMO_ANSWERS, SLUG, complete

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
NARROW = {"viewport": {"width": 320, "height": 740}, "is_mobile": True, "has_touch": True}
MAX_TABS = 120


@pytest.fixture
def demo(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return demo_consultation(s)


@pytest.fixture
def new_page(chromium):
    """Pages in their own browser context (phone, no JavaScript…); JavaScript errors fail the test."""
    contexts, errors = [], []

    def make(**options):
        ctx = chromium.new_context(**options)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield make
    for ctx in contexts:
        ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


# --- the database side -------------------------------------------------------------------------

def stored(app, reference: str) -> tuple[Respondent, dict]:
    """The submitted respondent with this reference, and their answers by question key."""
    with Session(app.extensions["engage.db"]) as s:
        respondent = s.exec(select(Respondent).where(Respondent.reference == reference)).one()
        rows = s.exec(select(Question.key, Answer.value, Answer.text, Answer.text_redacted)
                      .join(Answer, Answer.question_id == Question.id)
                      .where(Answer.respondent_id == respondent.id)).all()
        return respondent, {k: (v, t, r) for k, v, t, r in rows}


def assert_demo_answers_stored(app, reference: str) -> None:
    respondent, got = stored(app, reference)
    assert respondent.submitted_at is not None and respondent.segment == "patient"
    assert respondent.channel == "online" and respondent.consent_at is not None
    assert got["role"][0] == "patient" and got["age-band"][0] == "45-to-64"
    assert got["connection-vs-speed-before"][:2] == (-2, "I want a person to talk to")
    assert got["new-vs-existing"][0] == 2
    assert got["foundations-vs-quick-wins"][0] == 0
    assert got["commit-vs-evaluate"][0] == 3
    assert got["connection-vs-speed-after"][0] == 1
    assert got["technology-budget-share"][0] == {"fix-existing-systems": 40, "staff-training": 30,
                                                 "proven-new-technology": 20, "new-pilots": 10}
    assert got["technology-priorities"][0] == ["shared-records", "reliable-computers",
                                               "ai-scribes", "better-nhs-app"]
    assert got["nhs-app-use"][0] == "every-month"
    assert got["success-measures"][:2] == (["safer-care", "other"], "Fewer letters lost")
    assert got["open-about-failure"][0] == 2
    assert got["person-makes-final-decision"][0] == 0  # don't know
    assert got["preferred-contact"][0] == "phone-call"
    assert got["what-matters-most"][1] == "Being listened to"
    value, text, redacted = got["fix-one-thing"]
    assert "07700 900123" in text and "07700" not in redacted and "[phone number]" in redacted
    assert "anything-else-text" not in got
    assert not any(k.startswith("staff-") for k in got)  # a patient never sees the staff page


# --- walking the journey -----------------------------------------------------------------------

def page_key(page) -> str:
    return page.url.rsplit("/p/", 1)[1].split("?")[0].split("#")[0]


def navigated(page, action) -> None:
    """Do something that loads a new page, and wait for it."""
    with page.expect_navigation():
        action()


def click_label_of(page, name: str, value: str) -> None:
    radio_id = page.locator(f"input[name='{name}'][value='{value}']").get_attribute("id")
    page.locator(f"label[for='{radio_id}']").click()


def answer_by_clicking(page, key: str) -> None:
    """Answer a page as a person would with a mouse or finger: labels, select boxes, typing."""
    for name, value in DEMO_ANSWERS.get(key, {}).items():
        field = page.locator(f"[name='{name}']").first
        kind = field.evaluate("e => e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase()")
        if kind == "radio" and page.locator(f"#{name}.engage-slider__input").count():
            # A trade-off with JavaScript: the slider is its one control (a tap on a point).
            page.locator(f"#question-{name[2:]} .engage-slider__point[data-value='{value}']").click()
            assert page.locator(f"input[name='{name}'][value='{value}']").is_checked()
        elif kind in ("radio", "checkbox"):
            for v in value if isinstance(value, list) else [value]:
                click_label_of(page, name, v)
                assert page.locator(f"input[name='{name}'][value='{v}']").is_checked()
        elif kind == "select":
            field.select_option(value)
        elif value:
            field.click()
            field.fill(value)


def walk_by_clicking(page, base_url: str, on_page=lambda page, what: None) -> tuple[str, list[str]]:
    """Start → consent → every question page → check → confirmation; returns (reference, pages)."""
    page.goto(f"{base_url}/c/{SLUG}/")
    on_page(page, "start")
    navigated(page, lambda: page.get_by_role("button", name="Start now").click())
    on_page(page, "consent")
    page.get_by_text("I have read this and I want to take part").click()
    navigated(page, lambda: page.get_by_role("button", name="Continue").click())
    seen = []
    while "/p/" in page.url:
        key = page_key(page)
        assert key not in seen, f"page {key} shown twice: {page.content()[:3000]}"
        seen.append(key)
        assert page.locator(".nhsuk-error-summary").count() == 0, key
        on_page(page, key)
        answer_by_clicking(page, key)
        navigated(page, lambda: page.get_by_role("button", name="Continue").click())
    assert page.url.endswith("/check"), page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Check your answers before sending them"
    on_page(page, "check")
    navigated(page, lambda: page.get_by_role("button", name="Send my answers").click())
    assert page.url.endswith("/done")
    on_page(page, "done")
    return page.locator("#reference").inner_text().strip(), seen


EXPECTED_PAGES = [k for k in DEMO_ANSWERS if k != "staff-experience"]


def test_patient_completes_on_a_phone_by_tapping(live_server, new_page, demo, browser_app):
    page = new_page(**PHONE)
    reference, seen = walk_by_clicking(page, live_server.url)
    # Every question page (briefings in between), never the staff-only page.
    assert [k for k in seen if not k.startswith("briefing-")] == EXPECTED_PAGES
    assert len(seen) == 15
    assert page.get_by_role("heading", name="Thank you, your answers have been sent").is_visible()
    assert_demo_answers_stored(browser_app, reference)


def test_journey_works_without_javascript(live_server, new_page, demo, browser_app):
    page = new_page(java_script_enabled=False, **PHONE)
    seen_enhanced = []

    def no_enhancements(page, what):
        seen_enhanced.append(page.locator(".engage-slider, .engage-allocate__total:not(:empty)").count())
        if what == "judging-success":
            # Without JavaScript the "please say what" field is simply shown.
            assert page.get_by_label("Please say what").is_visible()

    reference, seen = walk_by_clicking(page, live_server.url, no_enhancements)
    assert len(seen) == 15 and set(seen_enhanced) == {0}
    assert "nhsuk-frontend-supported" not in (page.locator("body").get_attribute("class") or "")
    assert_demo_answers_stored(browser_app, reference)


# --- keyboard only -----------------------------------------------------------------------------

def focused_matches(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector`` (forwards only, like a person)."""
    for _ in range(MAX_TABS):
        if focused_matches(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def focused_value(page) -> str:
    return page.evaluate("document.activeElement.value")


def answer_by_keyboard(page, key: str) -> None:
    for name, value in DEMO_ANSWERS.get(key, {}).items():
        slider = page.locator(f"#{name}.engage-slider__input")
        kind = page.locator(f"[name='{name}']").first.evaluate(
            "e => e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase()")
        if kind == "radio" and slider.count():
            # Trade-offs: the slider, with arrow keys (it starts unset, in the middle).
            tab_to(page, f"#{name}.engage-slider__input")
            steps = int(value)
            if steps == 0:
                page.keyboard.press("ArrowRight")
                page.keyboard.press("ArrowLeft")
            for _ in range(abs(steps)):
                page.keyboard.press("ArrowRight" if steps > 0 else "ArrowLeft")
        elif kind == "radio":
            tab_to(page, f"input[name='{name}']")
            for _ in range(12):
                if focused_value(page) == value:
                    break
                page.keyboard.press("ArrowDown")  # moves and selects
            page.keyboard.press("Space")
        elif kind == "checkbox":
            for v in value:
                tab_to(page, f"input[name='{name}'][value='{v}']")
                page.keyboard.press("Space")
        elif kind == "select":
            tab_to(page, f"select[name='{name}']")
            page.keyboard.type(value)  # type-ahead picks the option starting "2"
            assert focused_value(page) == value, (name, focused_value(page))
        elif value:
            tab_to(page, f"[name='{name}']")
            page.keyboard.type(value)
        if kind == "radio":
            chosen = page.evaluate("n => document.querySelector(`[name='${n}']:checked`)?.value", name)
            assert chosen == value, (key, name, chosen)


def press_enter_on(page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_patient_completes_with_the_keyboard_alone(live_server, page, demo, browser_app):
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/c/{SLUG}/")
    press_enter_on(page, "a.nhsuk-button")
    assert page.url.endswith("/consent")
    tab_to(page, "input[name='agree']")
    page.keyboard.press("Space")
    press_enter_on(page, "form button.nhsuk-button")
    seen = []
    while "/p/" in page.url:
        seen.append(page_key(page))
        answer_by_keyboard(page, seen[-1])
        press_enter_on(page, "#continue")
        assert page.locator(".nhsuk-error-summary").count() == 0, page.content()[:3000]
    assert len(seen) == 15 and page.url.endswith("/check")
    press_enter_on(page, "#submit")
    assert page.url.endswith("/done")
    reference = page.locator("#reference").inner_text().strip()
    assert_demo_answers_stored(browser_app, reference)


def test_keyboard_user_can_reach_the_error_and_fix_it(live_server, page, demo):
    """The error summary takes focus, and its link leads to the field (NHS.UK pattern)."""
    page.goto(f"{live_server.url}/c/{SLUG}/consent")
    press_enter_on(page, "form button.nhsuk-button")
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    assert focused_matches(page, ".nhsuk-error-summary")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == \
        "Tick the box to say you want to take part"
    page.keyboard.press("Enter")
    assert focused_matches(page, "input[name='agree']")


# --- every page: axe, 320 px, target size -------------------------------------------------------

TARGETS = ("input[type=radio], input[type=checkbox], input[type=range], button, "
           "a.nhsuk-button, .nhsuk-button")
# A control hidden from everyone (aria-hidden, out of the tab order, clipped to 1 px: the form's
# default button for the Enter key) is no pointer target.
SMALL_TARGETS = """s => [...document.querySelectorAll(s)]
  .filter(e => e.getClientRects().length && e.getAttribute('aria-hidden') !== 'true')
  .map(e => { const r = e.getBoundingClientRect();
              return {what: e.outerHTML.slice(0, 120), w: r.width, h: r.height}; })
  .filter(t => t.w < 24 || t.h < 24)"""
# NHS.UK's script marks a radio that reveals a field aria-expanded, which ARIA does not allow on a
# radio (axe: aria-allowed-attr); Engage's reveal.js shows the field without it.
RADIOS_WITH_EXPANDED = "document.querySelectorAll('input[type=radio][aria-expanded]').length"


@pytest.fixture
def others_submitted(browser_app, demo):
    """Five earlier responses, so the results page has something to show (groups of 5 or more)."""
    browser_app.config["WTF_CSRF_ENABLED"] = False
    try:
        for _ in range(5):
            complete(browser_app.test_client())
    finally:
        browser_app.config["WTF_CSRF_ENABLED"] = True


def test_every_page_is_accessible_and_fits_320px(live_server, new_page, others_submitted,
                                                 assert_accessible, browser_app):
    page = new_page(**NARROW)
    checked = []

    def check(page, what):
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{what} scrolls sideways at 320px ({width}px)"
        small = page.evaluate(SMALL_TARGETS, TARGETS)
        assert small == [], f"{what}: targets under 24×24px: {small}"
        assert page.evaluate(RADIOS_WITH_EXPANDED) == 0, what
        assert_accessible(page)
        checked.append(what)

    def with_error_states(page, what):
        if what in ("consent", "about-you", "technology-budget"):
            if what == "technology-budget":
                page.get_by_label("Trying out new ideas in small pilots").fill("30")
            navigated(page, lambda: page.get_by_role("button", name="Continue").click())
            assert page.locator(".nhsuk-error-summary").is_visible()
            assert page.title().startswith("Error: ")
            check(page, f"{what} with an error")
            if what == "technology-budget":
                page.get_by_label("Trying out new ideas in small pilots").fill("")
        if what == "priorities-and-nhs-app":
            navigated(page, lambda: page.get_by_role("button", name="Save and come back later").click())
            assert page.get_by_role("heading", level=1).inner_text() == "Your answers are saved"
            assert page.locator("#resume-link").inner_text().startswith(live_server.url + "/c/")
            check(page, "save and come back later")
            navigated(page, lambda: page.get_by_role("button", name="Carry on now").click())
            assert page_key(page) == "priorities-and-nhs-app"
        check(page, what)

    reference, seen = walk_by_clicking(page, live_server.url, with_error_states)
    navigated(page, lambda: page.get_by_role("link", name="See what others have said so far").click())
    assert page.locator("table").count() >= 5  # six responses: enough for the aggregates
    check(page, "results")
    page.goto(f"{live_server.url}/c/{SLUG}/withdraw")
    check(page, "withdraw")
    navigated(page, lambda: page.get_by_role("button", name="Continue").click())
    assert page.locator(".nhsuk-error-summary").is_visible()
    check(page, "withdraw with an error")
    # Typed as people do: lower case, with spaces instead of the hyphen.
    code = reference.replace("-", "").lower()
    page.get_by_label("Your reference code").fill(f"{code[:4]} {code[4:]}")
    navigated(page, lambda: page.get_by_role("button", name="Continue").click())
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Are you sure you want to delete your answers?"
    assert reference in page.locator("main").inner_text()
    check(page, "confirm withdrawal")
    navigated(page, lambda: page.get_by_role("button", name="Yes, delete my answers").click())
    assert page.get_by_role("heading", level=1).inner_text() == "Your answers have been deleted"
    check(page, "withdrawn")
    with Session(browser_app.extensions["engage.db"]) as s:
        assert s.exec(select(Respondent).where(Respondent.reference == reference)).first() is None
    assert len(checked) == len(seen) + 13


def test_back_after_an_error_shows_the_page_again_without_resending(live_server, new_page, demo):
    """A page that came back with an error was the answer to a form: without help, Back to it
    asks to resend the form ("Confirm Form Resubmission") instead of showing the page."""
    page = new_page()
    page.goto(f"{live_server.url}/c/{SLUG}/consent")
    page.check("input[name='agree']")
    navigated(page, lambda: page.click("form button.nhsuk-button"))
    assert page.url.endswith("/p/about-you")
    navigated(page, lambda: page.click("#continue"))
    assert page.locator(".nhsuk-error-summary").is_visible()
    click_label_of(page, "q-role", "carer")
    navigated(page, lambda: page.click("#continue"))
    assert not page.url.endswith("/p/about-you")
    page.go_back(wait_until="load")  # net::ERR_CACHE_MISS on a page left as a form's answer
    assert page.url.endswith("/p/about-you")
    assert page.locator(".nhsuk-error-summary").count() == 0  # the page afresh, with what was saved
    assert page.locator("input[name='q-role'][value='carer']").is_checked()
