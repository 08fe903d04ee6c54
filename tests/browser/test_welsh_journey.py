"""The whole respondent journey in Welsh on a 360 px phone, with JavaScript: the switcher at the
start, every page in Welsh and axe-clean (errors shown too), switching language in the middle of
a half-filled page keeps what was typed, and switching back and forth keeps saved answers.

Set ENGAGE_SCREENSHOTS=DIR to keep the screenshots for a person to look at.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from surveys.models import Answer, Consultation, Question, Respondent

from ..engage.i18n.every_type import DEFINITION, SLUG
from ..factories import consultation_from

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def bilingual(browser_app):
    with Session(browser_app.extensions["engage.db"]) as s:
        return consultation_from(s, DEFINITION)


@pytest.fixture
def phone(chromium):
    ctx = chromium.new_context(**PHONE)
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def welsh(page) -> None:
    assert page.locator("html").get_attribute("lang") == "cy", page.url


def go_on(page, name: str = "Parhau") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def stored(app) -> dict:
    with Session(app.extensions["engage.db"]) as s:
        respondent = s.exec(select(Respondent)).one()
        rows = s.exec(select(Question.key, Answer.value, Answer.text)
                      .join(Answer, Answer.question_id == Question.id)
                      .where(Answer.respondent_id == respondent.id)).all()
        return {"submitted": respondent.submitted_at is not None, **{k: (v, t) for k, v, t in rows}}


def test_the_whole_journey_in_welsh_on_a_phone(browser_app, live_server, bilingual, phone, shots,
                                               assert_accessible):
    page = phone
    page.goto(f"{live_server.url}/c/{SLUG}/")
    assert page.locator("html").get_attribute("lang") == "en"
    switch = page.get_by_role("link", name="Cymraeg")
    assert switch.get_attribute("hreflang") == "cy" and switch.get_attribute("lang") == "cy"
    with page.expect_navigation():
        switch.click()
    welsh(page)
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Dechrau nawr").click()

    welsh(page)
    go_on(page)  # without agreeing: a Welsh error
    assert page.title().startswith("Gwall:") and page.get_by_text("Mae problem wedi codi").is_visible()
    assert_accessible(page)
    page.get_by_text("Rwyf wedi darllen hyn ac rwyf eisiau cymryd rhan").click()
    go_on(page)

    page.get_by_label("A patient").check()
    go_on(page)
    welsh(page)  # the briefing
    go_on(page)

    # Where you stand: the slider (JavaScript), a reason, a scale.
    assert page.get_by_text("Tudalen 3 o 6").is_visible()
    page.get_by_role("slider").focus()
    page.keyboard.press("ArrowLeft")
    assert page.get_by_text("Eich dewis: Ychydig o blaid human connection").is_visible()
    page.get_by_label("Pam wnaethoch chi ddewis hyn? (dewisol)").fill("Mae pobl yn bwysig")
    page.screenshot(path=str(shots / "welsh-question-360.png"), full_page=True)
    assert_accessible(page)
    # Half-filled, the person switches to English: what they chose and typed is still there.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Why did you choose this? (optional)").input_value() == "Mae pobl yn bwysig"
    assert page.locator("input[name='q-connection'][value='-1']").is_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    welsh(page)
    assert page.get_by_label("Pam wnaethoch chi ddewis hyn? (dewisol)").input_value() == "Mae pobl yn bwysig"
    page.get_by_label("Cytuno", exact=True).check()
    go_on(page)

    # Lists: errors first (in Welsh), then answers.
    go_on(page)
    assert page.get_by_text("Dewiswch o leiaf un ateb").first.is_visible()
    page.screenshot(path=str(shots / "welsh-errors-360.png"), full_page=True)
    assert_accessible(page)
    for key in ("waits", "kindness"):
        page.locator(f"input[name='q-several'][value='{key}']").check()
    for i, key in enumerate(("waits", "kindness", "records"), 1):
        page.locator(f"select[name='q-order-{key}']").select_option(str(i))
    for key, amount in (("waits", "50"), ("kindness", "30"), ("records", "20")):
        page.locator(f"input[name='q-budget-{key}']").fill(amount)
    assert page.get_by_text("Rydych wedi defnyddio 100 o 100 pwynt. 0 ar ôl.").is_visible()
    # Enter in a field means Continue (the switch above the form is not the form's first button).
    with page.expect_navigation():
        page.locator("input[name='q-budget-records']").press("Enter")
    assert "/p/pairs" in page.url

    # Pairs, one screen at a time.
    while "/p/pairs" in page.url:
        welsh(page)
        assert page.get_by_text("Alla i ddim penderfynu").first.is_visible()
        page.locator("input[name='q-matters-pick-0']").first.check()
        go_on(page)

    page.get_by_label("Why does it matter?").fill("Oherwydd bod pobl yn bwysig")
    assert page.get_by_text("Mae gennych 1973 nod ar ôl").is_visible()  # the count, in Welsh
    go_on(page)

    # Going back in English, then on in Welsh: the answers given are all still there.
    page.goto(f"{live_server.url}/c/{SLUG}/p/scale?lang=en")
    assert page.locator("input[name='q-connection'][value='-1']").is_checked()
    page.goto(f"{live_server.url}/c/{SLUG}/check?lang=cy")
    welsh(page)
    assert page.get_by_role("heading", name="Gwiriwch eich atebion cyn eu hanfon").is_visible()
    assert page.get_by_text("Ychydig o blaid human connection. Pam: Mae pobl yn bwysig").is_visible()
    assert_accessible(page)
    go_on(page, "Anfon fy atebion")
    welsh(page)
    assert page.get_by_text("Diolch, mae eich atebion wedi'u hanfon").is_visible()
    assert_accessible(page)

    got = stored(browser_app)
    assert got["submitted"] and got["connection"] == (-1, "Mae pobl yn bwysig")
    assert got["agree"][0] == 2 and got["several"][0] == ["waits", "kindness"]
    assert got["budget"][0] == {"waits": 50, "kindness": 30, "records": 20}
    assert got["why"][1] == "Oherwydd bod pobl yn bwysig"


def test_the_kiosk_in_welsh(browser_app, live_server, bilingual, chromium, assert_accessible):
    """A tablet set up in Welsh: the welcome, its script's own words, and the server's answer
    errors (the tablet sends no cookie, so the language travels in the address)."""
    from ..engage.workshop.helpers import make_workshop

    with Session(browser_app.extensions["engage.db"]) as s:
        consultation = s.exec(select(Consultation).where(Consultation.slug == SLUG)).one()
        code = make_workshop(s, consultation, tables=2, name="Gweithdy Caerdydd").join_code
    ctx = chromium.new_context(viewport={"width": 820, "height": 1180}, has_touch=True)
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/workshop/k/{code}/1?lang=cy")
        welsh(page)
        assert page.get_by_text("Gweithdy Caerdydd, bwrdd 1").first.is_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Dechrau", exact=True).click()
        assert page.get_by_text("Tudalen 1 o 6").is_visible()
        page.get_by_role("button", name="Parhau", exact=True).click()
        error = page.get_by_text("Mae problem wedi codi")
        error.wait_for()
        assert_accessible(page)
    finally:
        ctx.close()
