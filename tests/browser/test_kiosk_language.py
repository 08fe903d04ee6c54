"""A shared tablet's language: each person may switch for their own answers, and the tablet goes
back to the language it was set up in for the next person (after Send, or when it times out)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..engage.workshop.helpers import make_workshop
from ..factories import consultation_from
from . import test_workshop_kiosk as k
from .test_workshop_kiosk import DEFINITION, answer_everything, send_and_pass_on, stored

# The kiosk tests' fixtures: the same app settings, tablet and live server.
kiosk_config, browser_app, service_workers, context, db, network, live_server = (
    k.kiosk_config, k.browser_app, k.service_workers, k.context, k.db, k.network, k.live_server)

pytestmark = pytest.mark.browser


@pytest.fixture
def workshop(db):
    consultation = consultation_from(db, {**DEFINITION, "languages": ["en", "cy"]})
    return make_workshop(db, consultation, tables=2)


def in_language(page, lang: str, start: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("button", name=start, exact=True)).to_be_visible()


def test_a_welsh_tablet_is_welsh_again_for_the_next_person(live_server, page, workshop, db):
    page.goto(f"{live_server.url}/workshop/k/{workshop.join_code}/1?lang=cy")
    in_language(page, "cy", "Dechrau")
    page.get_by_role("link", name="English").click()
    in_language(page, "en", "Start")

    answer_everything(page)
    send_and_pass_on(page)
    in_language(page, "cy", "Dechrau")
    people, _answers = stored(db)
    assert [p.locale for p in people] == ["en"]  # their own switch was for their own answers

    # The tablet is sent back to its kiosk from the join page, in Welsh too.
    page.get_by_role("link", name="English").click()
    in_language(page, "en", "Start")
    page.goto(f"{live_server.url}/workshop/?lang=en")
    page.wait_for_url(f"**/workshop/k/{workshop.join_code}/1?lang=cy")
    in_language(page, "cy", "Dechrau")


@pytest.mark.parametrize("kiosk_config", [{"KIOSK_IDLE_SECONDS": 1, "KIOSK_WARNING_SECONDS": 2}])
def test_an_english_tablet_left_in_welsh_is_english_again_after_the_reset(live_server, page, workshop):
    page.goto(f"{live_server.url}/workshop/k/{workshop.join_code}/1")
    in_language(page, "en", "Start")
    page.get_by_role("link", name="Cymraeg").click()
    in_language(page, "cy", "Dechrau")
    page.get_by_role("button", name="Dechrau", exact=True).click()

    # Nobody comes back: the warning counts down and the tablet is cleared, in its own language.
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=10_000)
    in_language(page, "en", "Start")
