"""The room display in Chromium: it updates while a kiosk's answers arrive, without reloading."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..engage.workshop.helpers import make_workshop, post_response
from ..factories import PASSWORD, consultation_from, user
from . import test_workshop_kiosk as k
from .test_workshop_kiosk import FIRST_REASON, FIRST_WORDS, answer_everything, send_and_pass_on

# The kiosk tests' fixtures: the same app settings, tablet, workshop and kiosk page.
kiosk_config, browser_app, service_workers, context, db, workshop, kiosk = (
    k.kiosk_config, k.browser_app, k.service_workers, k.context, k.db, k.workshop, k.kiosk)

pytestmark = pytest.mark.browser


@pytest.fixture
def room(chromium, live_server, db, workshop):
    user(db, "fac@example.nhs.uk", consultations=(_consultation(db, workshop),))
    laptop = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = laptop.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/workshop/room/{workshop.join_code}")
    page.get_by_label("Email address").fill("fac@example.nhs.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/workshop/room/{workshop.join_code}")
    yield page
    laptop.close()
    assert errors == []


def _consultation(db, workshop):
    from surveys.models import Consultation

    return db.get(Consultation, workshop.consultation_id)


def test_room_display_updates_while_answers_arrive(room, kiosk, assert_accessible):
    total = room.locator(".room-total")
    expect(total).to_contain_text("Results appear when at least 2 people have sent their answers")
    assert_accessible(room)
    room.evaluate("window.notReloaded = true")

    answer_everything(kiosk)
    send_and_pass_on(kiosk)
    expect(room.locator(".room-table").first).to_contain_text("Table 1: not shown")
    expect(total).to_contain_text("Results appear")  # one person is below the minimum group size

    answer_everything(kiosk, role="NHS staff", before="Strongly prefer faster diagnosis",
                      after="Prefer faster diagnosis", reason="Speed", words="Quicker please")
    send_and_pass_on(kiosk)
    expect(total).to_have_text("Results from 2 people", timeout=10_000)
    expect(room.locator(".room-table").first).to_contain_text("Table 1: 2")
    scale = room.locator(".room-tradeoff .room-scale")
    expect(scale.nth(0)).to_contain_text("Before the discussion")
    expect(scale.nth(0)).to_contain_text("On average: Both equally (2 answers)")
    expect(scale.nth(1)).to_contain_text("After the discussion")
    expect(scale.nth(1)).to_contain_text("On average: Slightly prefer faster diagnosis (2 answers)")
    assert room.evaluate("window.notReloaded") is True
    content = room.content()
    assert FIRST_REASON not in content and FIRST_WORDS not in content and "Quicker please" not in content
    assert_accessible(room)


LONG_POLES = {
    "slug": "long-poles", "title": "Promises", "summary": "One trade-off.", "min_group_size": 2,
    "consent_text": "We keep your answers for 12 months.",
    "pages": [{"key": "promises", "kind": "questions", "title": "Promises", "questions": [
        {"key": "commit", "type": "tradeoff", "prompt": "What should the NHS do?", "required": True,
         "config": {"left": "Sticking to the plan and seeing it through",
                    "right": "Checking openly and changing course if needed"}}]}],
}


def _box_inside(inner, outer) -> bool:
    return inner["y"] >= outer["y"] - 1 and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1


def _overlap(a, b) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("width", [1280, 360])
def test_every_label_on_the_room_display_can_be_read(chromium, live_server, browser_app, db, width, shots):
    """The whole room in one place (a 100% bar) keeps its figure on the chart, and long poles
    wrap instead of running into each other, on a projector and on a phone, and the page is no
    wider than the screen."""
    consultation = consultation_from(db, LONG_POLES)
    workshop = make_workshop(db, consultation, tables=1)
    client = browser_app.test_client()
    for _n in range(2):
        assert post_response(client, browser_app, workshop, answers={"q-commit": "-1"}).status_code == 201
    user(db, "fac@example.nhs.uk", consultations=(consultation,))
    laptop = chromium.new_context(viewport={"width": width, "height": 900})
    page = laptop.new_page()
    page.goto(f"{live_server.url}/workshop/room/{workshop.join_code}")
    page.get_by_label("Email address").fill("fac@example.nhs.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".room-total")).to_have_text("Results from 2 people")
    chart = page.locator(".room-tradeoff svg").first
    figure = chart.locator("text", has_text="100%")
    expect(figure).to_have_count(1)
    assert _box_inside(figure.bounding_box(), chart.bounding_box())
    left, right = (page.get_by_text(pole, exact=True).bounding_box()
                   for pole in ("Sticking to the plan and seeing it through",
                                "Checking openly and changing course if needed"))
    assert not _overlap(left, right)
    # Nothing runs off the side (WCAG reflow): the figures' hidden table for screen readers, a
    # table, took its text's width at 360 px and made the page 953 px wide.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(shots / f"room-{width}.png"), full_page=True)
    laptop.close()
