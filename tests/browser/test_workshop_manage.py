"""A facilitator opens and closes a workshop in Chromium: errors, join code, QR codes per table."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from surveys.models import Workshop

from ..factories import demo_consultation, user
from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def facilitator(browser_app, live_server, page):
    with Session(browser_app.extensions["engage.db"]) as s:
        consultation = demo_consultation(s)
        user(s, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
        slug = consultation.slug
    sign_in(page, live_server, "lead@example.nhs.uk")
    return slug


def test_open_a_workshop_from_the_consultation_then_close_it(facilitator, browser_app, page,
                                                             assert_accessible):
    page.get_by_role("link", name="Technology in the NHS", exact=False).first.click()
    page.get_by_role("link", name="Workshops", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Workshop name").fill("Leeds Teaching Hospitals staff workshop, 3 June")
    page.get_by_label("Number of tables").fill("4")
    page.get_by_label("Exit PIN", exact=True).fill("4321")
    page.get_by_label("Exit PIN again").fill("1234")
    page.get_by_role("button", name="Open workshop").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The two PINs are different")
    assert_accessible(page)
    page.get_by_label("Exit PIN", exact=True).fill("4321")
    page.get_by_label("Exit PIN again").fill("4321")
    page.get_by_role("button", name="Open workshop").click()

    with Session(browser_app.extensions["engage.db"]) as s:
        workshop = s.exec(select(Workshop)).one()
    expect(page.locator("#join-code")).to_have_text(workshop.join_code)
    cards = page.locator(".workshop-table")
    expect(cards).to_have_count(4)
    for n in range(4):
        card = cards.nth(n)
        expect(card.get_by_role("img", name=f"QR code for table {n + 1}")).to_be_visible()
        # The table's link stays inside its card, however long the server's address.
        box, link = card.bounding_box(), card.get_by_role("link").bounding_box()
        assert link["x"] + link["width"] <= box["x"] + box["width"] + 1
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.get_by_role("button", name="Close workshop").click()
    expect(page.get_by_role("button", name="Close workshop")).to_have_count(0)
    with Session(browser_app.extensions["engage.db"]) as s:
        assert s.exec(select(Workshop)).one().status == "closed"
    assert_accessible(page)
