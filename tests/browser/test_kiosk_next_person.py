"""The kiosk between people: what one person leaves on the tablet, the next person never sees."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import test_workshop_kiosk as k
from .test_workshop_kiosk import FIRST_REASON, choose_point, cont

# The kiosk tests' fixtures: the same app settings, tablet, live server and workshop.
kiosk_config, browser_app, service_workers, context, db, network, live_server, workshop, kiosk = (
    k.kiosk_config, k.browser_app, k.service_workers, k.context, k.db, k.network, k.live_server,
    k.workshop, k.kiosk)

pytestmark = pytest.mark.browser


def heading(page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_back_to_the_welcome_screen_then_start_begins_a_new_person(kiosk):
    page = kiosk
    page.get_by_role("button", name="Start").click()
    heading(page, "About you")
    page.get_by_label("NHS staff", exact=True).check()
    cont(page)
    heading(page, "Your first thoughts")
    choose_point(page, "Prefer human connection")
    page.get_by_label("Why did you choose this? (optional)").fill(FIRST_REASON)
    cont(page)
    heading(page, "Both sides")

    # They give up and go back to the start; the next person picks the tablet up and presses Start.
    for title in ("Your first thoughts", "About you", "Technology and care"):
        page.get_by_role("button", name="Back").click()
        heading(page, title)
    page.get_by_role("button", name="Start").click()
    heading(page, "About you")
    expect(page.get_by_label("NHS staff", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Patient", exact=True)).not_to_be_checked()
    page.get_by_label("Patient", exact=True).check()
    cont(page)
    heading(page, "Your first thoughts")
    expect(page.get_by_label("Why did you choose this? (optional)")).to_have_value("")
    expect(page.get_by_label("Prefer human connection", exact=True)).not_to_be_checked()
    assert FIRST_REASON not in page.content()
