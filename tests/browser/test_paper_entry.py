"""Typing in a paper response in a real browser, keyboard-usable and axe-clean."""

import pytest
from sqlmodel import Session, select

from surveys.models import Respondent

from ..factories import demo_consultation, user
from .conftest import sign_in
from .test_journey import RADIOS_WITH_EXPANDED

pytestmark = pytest.mark.browser


def tap_point(page, key: str, value: str) -> None:
    """Choose a trade-off's point on its slider, the one control it has with JavaScript."""
    page.locator(f"#question-{key} .engage-slider__point[data-value='{value}']").click()
    assert page.locator(f"input[name='q-{key}'][value='{value}']").is_checked()


def type_in_a_form(page) -> None:
    """Type in one patient's paper form on the open entry page, and save it."""
    page.get_by_label("The person agreed to take part").check()
    page.get_by_label("I am a patient or have been one recently").check()
    tap_point(page, "connection-vs-speed-before", "-2")  # "Prefer human connection"
    page.locator("#q-connection-vs-speed-before-why").fill("I like to see the same nurse")
    for key in ("new-vs-existing", "foundations-vs-quick-wins", "commit-vs-evaluate",
                "connection-vs-speed-after"):
        tap_point(page, key, "0")  # "Both equally"
    for key, amount in (("fix-existing-systems", "40"), ("staff-training", "30"),
                        ("proven-new-technology", "20"), ("new-pilots", "10")):
        page.locator(f"#q-technology-budget-share-{key}").fill(amount)
    page.get_by_role("button", name="Save this response").click()


def test_enter_a_paper_response(live_server, page, browser_app, assert_accessible):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        consultation = demo_consultation(s)
        user(s, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    sign_in(page, live_server, "lead@example.nhs.uk")
    page.goto(f"{live_server.url}/manage/c/{consultation.slug}/")
    page.get_by_role("link", name="Paper and phone responses").click()
    # Checked once the new page is in (axe on a page still loading finds no main or h1).
    page.wait_for_url("**/entry/")
    page.get_by_role("heading", level=1).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Type in a paper response").click()
    page.get_by_label("On paper").wait_for()
    assert page.get_by_label("On paper").is_checked()
    page.wait_for_load_state("load")
    assert page.evaluate(RADIOS_WITH_EXPANDED) == 0  # Engage reveals fields without it (see test_journey)
    assert_accessible(page)

    # Sent with a required answer missing: the journey's own error, linked from the summary.
    with page.expect_navigation():
        page.get_by_role("button", name="Save this response").click()
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    assert summary.get_by_text("Confirm that the person agreed to take part").is_visible()
    assert page.title().startswith("Error: ")
    page.wait_for_load_state("load")
    assert page.evaluate(RADIOS_WITH_EXPANDED) == 0
    assert_accessible(page)

    type_in_a_form(page)
    page.wait_for_url(f"**/manage/c/{consultation.slug}/entry/")
    assert page.get_by_text("Saved the paper response").is_visible()
    assert_accessible(page)

    with Session(browser_app.extensions["engage.db"]) as s:
        respondent = s.exec(select(Respondent)).one()
    assert (respondent.channel, respondent.segment) == ("paper", "patient")
    assert page.get_by_role("cell", name=str(respondent.id), exact=True).is_visible()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_same_form_typed_in_twice_is_asked_about(live_server, page, browser_app, assert_accessible,
                                                       shots, width):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        consultation = demo_consultation(s)
        user(s, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "lead@example.nhs.uk")
    entry = f"{live_server.url}/manage/c/{consultation.slug}/entry/"
    for _copy in range(2):
        page.goto(entry + "new?channel=paper")
        page.get_by_label("On paper").wait_for()
        type_in_a_form(page)
        page.wait_for_load_state("load")

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "These answers have been typed in before"
    assert page.get_by_text("This response has not been saved yet.").is_visible()
    assert_accessible(page)
    page.screenshot(path=str(shots / f"paper-same-form-{width}.png"), full_page=True)
    with Session(browser_app.extensions["engage.db"]) as s:
        assert len(s.exec(select(Respondent)).all()) == 1

    page.get_by_role("button", name="Save it anyway").click()
    page.wait_for_url(entry)
    assert page.get_by_text("Saved the paper response").is_visible()
    with Session(browser_app.extensions["engage.db"]) as s:
        assert len(s.exec(select(Respondent)).all()) == 2
