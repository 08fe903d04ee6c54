"""The pairwise type in Chromium: a respondent on a 320 px phone without JavaScript, keyboard only,
one pair per screen; a kiosk asking every pair on one screen; the facilitators' ranking. Axe-clean."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from surveys import journey, responses
from surveys.models import Answer, Question, Respondent
from surveys.types import get_type
from surveys.types.base import SampleContext

from ..engage.participate.test_pairwise import DEFINITION, SLUG
from ..engage.workshop.helpers import make_workshop
from ..factories import consultation_from, user
from .conftest import sign_in

pytestmark = pytest.mark.browser

NARROW = {"viewport": {"width": 320, "height": 740}, "is_mobile": True, "has_touch": True}
SHOTS = Path("/tmp/engage-pairwise-shots")  # noqa: S108 - screenshots to look at, not a result


@pytest.fixture
def db(browser_app):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        yield s


@pytest.fixture
def pairs(db):
    return consultation_from(db, DEFINITION)


def judgements(db) -> list:
    db.expire_all()
    return db.exec(select(Answer.value).join(Question).where(Question.key == "matters")).all()


def tab_to(page, element_id: str) -> None:
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def start(page, url: str) -> None:
    page.goto(f"{url}/c/{SLUG}/consent")
    page.locator("input[name=agree]").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("A patient").check()
    page.get_by_role("button", name="Continue").click()


def test_one_pair_per_screen_by_keyboard(live_server, chromium, pairs, db, assert_accessible):
    ctx = chromium.new_context(**NARROW)
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    start(page, live_server.url)
    SHOTS.mkdir(exist_ok=True)
    for n in range(1, 4):
        expect(page.get_by_text(f"Pair {n} of 3.")).to_be_visible()
        group = page.get_by_role("group", name="Which matters more to you?")
        expect(group).to_have_count(1)
        expect(group.get_by_role("radio")).to_have_count(3)
        if n == 1:
            assert_accessible(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scroll
            page.screenshot(path=str(SHOTS / "respondent-320.png"), full_page=True)
            # Continue with nothing chosen: the error, linked to the pair.
            tab_to(page, "continue")
            page.keyboard.press("Enter")
            expect(page.locator(".nhsuk-error-summary")).to_be_visible()
            assert_accessible(page)
        # Keyboard only: the first radio, "Space" chooses it, then on to Continue.
        tab_to(page, "q-matters-pick-0")
        page.keyboard.press("Space")
        tab_to(page, "continue")
        page.keyboard.press("Enter")
    page.wait_for_url("**/p/end")
    (value,) = judgements(db)
    assert len(value) == 3 and all(pick == left for left, _, pick in value)
    ctx.close()


def test_one_pair_per_screen_without_javascript(live_server, chromium, pairs, db):
    ctx = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    start(page, live_server.url)
    for n in range(1, 4):
        expect(page.get_by_text(f"Pair {n} of 3.")).to_be_visible()
        if n == 1:
            page.screenshot(path=str(SHOTS / "respondent-1280.png"), full_page=True)
        page.get_by_label("I can't decide").check()
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/p/end")
    (value,) = judgements(db)
    assert len(value) == 3 and all(pick is None for _, _, pick in value)
    ctx.close()


def test_kiosk_asks_every_pair_on_one_screen(live_server, page, db, pairs, assert_accessible):
    workshop = make_workshop(db, pairs, tables=1)
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"{live_server.url}/workshop/k/{workshop.join_code}/1")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("A patient", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which matters more")
    groups = page.get_by_role("group", name="Which matters more to you?")
    expect(groups).to_have_count(3)
    assert_accessible(page)
    for i in range(3):
        groups.nth(i).get_by_role("radio").nth(1).check()  # the right-hand item each time
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anything else")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible()
    (value,) = judgements(db)
    assert len(value) == 3 and all(pick == right for _, right, pick in value)


def test_facilitators_see_the_ranking(live_server, page, db, pairs, assert_accessible):
    structure = journey.Structure.load(db, pairs)
    rng = random.Random(5)
    for i in range(12):
        segment = "staff" if i % 3 == 0 else "patient"
        respondent, _ = responses.start_response(db, pairs)
        context = SampleContext(rng=rng, segment=segment, lean=0, write=lambda: "")
        for q in structure.questions:
            responses.save_answer(db, respondent, q, get_type(q.type).sample(q, context), None)
        responses.submit(db, structure, respondent)
    db.commit()
    assert len(db.exec(select(Respondent)).all()) == 12
    facilitator = user(db, "pairs@example.nhs.uk", "facilitator", consultations=(pairs,))
    sign_in(page, live_server, facilitator.email)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/manage/c/{SLUG}/responses/questions/pairs")
        table = page.get_by_role("table", name="Everyone (12 answered)")
        expect(table).to_be_visible()
        expect(table.get_by_role("columnheader", name="Likely range")).to_be_visible()
        page.screenshot(path=str(SHOTS / f"summary-{width}.png"), full_page=True)
    assert_accessible(page)
    expect(page.get_by_role("table", name="NHS staff (4 answered)")).to_be_visible()
