"""Building a routed consultation with the rows editor in Chromium, then answering it as two people:
the routed page is shown to the one whose answer calls for it, and only to them. Axe-clean."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from surveys.models import Page, Question

from ..factories import user
from .conftest import sign_in

pytestmark = pytest.mark.browser
SLUG = "care-at-home"


@pytest.fixture
def facilitator(browser_app):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        return user(s, "rows@example.nhs.uk", "facilitator")


def navigated(page, action) -> None:
    with page.expect_navigation():
        action()


def focused_name(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name || ''")


def has_focus(page, name: str) -> None:
    """The field ``name`` has the focus, waiting for it: without JavaScript the browser applies
    ``autofocus`` at its next rendering opportunity, after the page has loaded (read at once, the
    focus was sometimes still on the page itself)."""
    expect(page.locator(f'[name="{name}"]')).to_be_focused()


def add_page(page, kind: str, key: str, title: str) -> None:
    navigated(page, lambda: page.get_by_role("button", name="Add a page").click())
    page.get_by_label(kind, exact=True).check()
    navigated(page, lambda: page.get_by_role("button", name="Continue").click())
    page.get_by_label("Page key").fill(key)
    page.get_by_label("Title").fill(title)


def add_question(page, title: str, qtype: str, key: str, prompt: str) -> None:
    navigated(page, lambda: page.get_by_role("link", name=f"Add a question to {title}").click())
    page.get_by_label(qtype).check()
    navigated(page, lambda: page.get_by_role("button", name="Continue").click())
    page.get_by_label("Question key").fill(key)
    page.get_by_label("Question", exact=True).fill(prompt)


def build(page, live_server, assert_accessible, shots) -> None:
    page.goto(live_server.url + "/manage/new")
    page.get_by_label("Web address name").fill(SLUG)
    page.get_by_label("Title").fill("Care at home")
    navigated(page, lambda: page.get_by_role("button", name="Create consultation").click())
    assert_accessible(page)  # "Not ready to open: Add a page…"
    expect(page.get_by_role("link", name="Add a page before you open the consultation")).to_be_visible()

    add_page(page, "Questions", "about-you", "About you")
    navigated(page, lambda: page.get_by_role("button", name="Add page").click())

    # The rows editor, enhanced: nothing is sent until "Add question".
    add_question(page, "About you", "One answer from a list", "role", "Who are you?")
    page.get_by_label("This is the segment question").check()
    navigated(page, lambda: page.get_by_role("button", name="Add question").click())  # no options yet
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter at least 2 options")
    assert_accessible(page)
    page.get_by_role("link", name="Enter at least 2 options").click()
    assert focused_name(page) == "cfg_options-0-label"  # the summary leads to the rows
    page.get_by_label("Option 1", exact=True).fill("I am a patient")
    page.get_by_label("Option 2", exact=True).fill("I look after someone")
    url = page.url
    page.get_by_role("button", name="Add another option").click()
    assert page.url == url and focused_name(page) == "cfg_options-2-label"  # focus on the new row
    expect(page.locator("[data-rows-status]")).to_have_text("Row 3 added")
    page.keyboard.type("I work for the NHS")
    page.get_by_role("button", name="Add another option").click()
    page.keyboard.type("Something to remove")
    page.get_by_role("button", name="Move up option 3").click()  # "I work for the NHS" goes up
    expect(page.locator("[data-rows-status]")).to_have_text("Moved to row 2 of 4")
    assert focused_name(page) == "rows-action"
    page.get_by_role("button", name="Remove option 4").click()
    expect(page.locator("[data-rows-status]")).to_have_text("Row 4 removed. 3 rows left")
    boxes = page.locator("[data-rows='cfg_options'] input[data-row-box]")
    assert [boxes.nth(i).input_value() for i in range(boxes.count())] == [
        "I am a patient", "I work for the NHS", "I look after someone"]
    assert_accessible(page)
    shots("question")
    navigated(page, lambda: page.get_by_role("button", name="Add question").click())
    assert page.url.endswith("#page-about-you")

    # A page only for carers: the question and its answers are chosen from lists.
    add_page(page, "Questions", "caring", "Caring for someone")
    expect(page.get_by_label("I look after someone")).to_be_hidden()  # until the question is chosen
    page.get_by_label("Who sees this page?").select_option(label="Who are you?")
    expect(page.get_by_label("I look after someone")).to_be_visible()
    page.get_by_label("I look after someone").check()
    assert_accessible(page)
    shots("routing")
    navigated(page, lambda: page.get_by_role("button", name="Add page").click())
    expect(page.get_by_text("Shown only to people who answered ‘Who are you?’ with I look after someone")
           ).to_be_visible()
    add_question(page, "Caring for someone", "Written answer", "caring-help", "What help do you need?")
    navigated(page, lambda: page.get_by_role("button", name="Add question").click())

    add_page(page, "Briefing (information to read)", "read", "Before you go on")
    page.get_by_label("Briefing text").fill("Care at home has good sides and hard sides.")
    assert_accessible(page)
    navigated(page, lambda: page.get_by_role("button", name="Add page").click())

    add_page(page, "Questions", "everyone", "Your views")
    navigated(page, lambda: page.get_by_role("button", name="Add page").click())
    add_question(page, "Your views", "Written answer", "views", "What matters to you?")
    navigated(page, lambda: page.get_by_role("button", name="Add question").click())
    assert page.locator(".nhsuk-warning-callout").count() == 0  # ready to open
    assert_accessible(page)
    shots("overview")
    navigated(page, lambda: page.get_by_role("button", name="Open for responses").click())


def answer(page, base: str, who: str, text: str) -> list[str]:
    """A respondent's way through; returns the pages they were shown."""
    page.goto(f"{base}/c/{SLUG}/")
    navigated(page, lambda: page.get_by_role("button", name="Start now").click())
    page.get_by_text("I have read this and I want to take part").click()
    navigated(page, lambda: page.get_by_role("button", name="Continue").click())
    seen = []
    while "/p/" in page.url:
        key = page.url.rsplit("/p/", 1)[1].split("?")[0]
        seen.append(key)
        if key == "about-you":
            page.get_by_label(who).check()
        elif key == "read":
            pass
        else:
            page.locator("textarea").first.fill(text)
        navigated(page, lambda: page.get_by_role("button", name="Continue").click())
    navigated(page, lambda: page.get_by_role("button", name="Send my answers").click())
    assert page.url.endswith("/done")
    return seen


def test_build_a_routed_consultation_with_the_rows_editor_and_answer_it(
        live_server, page, facilitator, assert_accessible, browser_app, chromium):
    def shots(name):
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"/tmp/builder-{name}-{width}.png", full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        page.set_viewport_size({"width": 1024, "height": 800})

    sign_in(page, live_server, facilitator.email)
    build(page, live_server, assert_accessible, shots)
    with Session(browser_app.extensions["engage.db"]) as s:
        role = s.exec(select(Question).where(Question.key == "role")).one()
        assert role.is_segment and [o["key"] for o in role.config["options"]] == [
            "i-am-a-patient", "i-work-for-the-nhs", "i-look-after-someone"]
        assert s.exec(select(Page).where(Page.key == "caring")).one().show_if == {
            "question": "role", "in": ["i-look-after-someone"]}

    respondent = chromium.new_context(viewport={"width": 360, "height": 800}).new_page()
    assert answer(respondent, live_server.url, "I look after someone", "Time off.") == [
        "about-you", "caring", "read", "everyone"]
    respondent.context.clear_cookies()
    shown = answer(respondent, live_server.url, "I am a patient", "Kindness.")
    assert shown == ["about-you", "read", "everyone"]  # the carers' page is not shown
    respondent.context.close()


def test_the_rows_editor_works_without_javascript(live_server, chromium, facilitator):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, facilitator.email)
    page.goto(live_server.url + "/manage/new")
    page.get_by_label("Web address name").fill("no-js")
    page.get_by_label("Title").fill("No JS")
    navigated(page, lambda: page.get_by_role("button", name="Create consultation").click())
    add_page(page, "Questions", "p", "P")
    navigated(page, lambda: page.get_by_role("button", name="Add page").click())
    add_question(page, "P", "Put things in order", "order", "Put these in order")
    page.get_by_label("Option 1", exact=True).fill("First")
    navigated(page, lambda: page.get_by_role("button", name="Add question").click())
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter at least 2 options")
    assert page.get_by_label("Option 1", exact=True).input_value() == "First"  # kept, not saved
    page.get_by_label("Option 2", exact=True).fill("Second")
    navigated(page, lambda: page.get_by_role("button", name="Add another option").click())
    has_focus(page, "cfg_options-2-label")  # the new row has the focus
    page.keyboard.type("Third")
    navigated(page, lambda: page.get_by_role("button", name="Move up option 3").click())
    navigated(page, lambda: page.get_by_role("button", name="Remove option 1").click())
    # Enter in a box saves (the form's first button is "Add question", not a row's "Move up").
    page.get_by_label("Question", exact=True).click()
    page.get_by_label("Option 1", exact=True).press("Enter")
    page.wait_for_url("**/manage/c/no-js/#page-p")
    with Session(live_server.app.extensions["engage.db"]) as s:
        q = s.exec(select(Question).where(Question.key == "order")).one()
        assert q.config["options"] == [{"key": "third", "label": "Third"},
                                       {"key": "second", "label": "Second"}]
    context.close()
