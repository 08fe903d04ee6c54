"""Copying a consultation in a real browser: a new draft with the same pages, axe-clean."""

import pytest
from sqlmodel import Session, select

from surveys.models import Page

from ..factories import demo_consultation, user
from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_copy_a_consultation(live_server, page, browser_app, assert_accessible):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        source = demo_consultation(s)
        user(s, "builder@example.nhs.uk", "facilitator", consultations=(source,))
    sign_in(page, live_server, "builder@example.nhs.uk")
    page.goto(f"{live_server.url}/manage/c/{source.slug}/")
    page.get_by_role("link", name="Copy as a new draft").click()
    assert page.get_by_label("Web address name of the copy").input_value() == f"{source.slug}-copy"
    assert_accessible(page)
    page.get_by_label("Web address name of the copy").fill("care-next-year")
    page.get_by_label("Title of the copy").fill("Technology in care, next year")
    page.get_by_role("button", name="Copy as a new draft").click()
    page.wait_for_url("**/manage/c/care-next-year/")
    assert page.get_by_role("heading", level=1).inner_text() == "Technology in care, next year"
    assert page.locator(".nhsuk-tag", has_text="Draft").first.is_visible()
    assert page.get_by_text("No responses were copied").is_visible()
    assert page.locator("li.engage-page").count() == len(source_pages(browser_app, source.id))
    assert_accessible(page)


def source_pages(app, consultation_id):
    with Session(app.extensions["engage.db"]) as s:
        return s.exec(select(Page).where(Page.consultation_id == consultation_id)).all()
