"""Theme analysis in a real browser: run, watch progress, merge, rename, export; axe-clean."""

from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from surveys.models import AnalysisRun, Theme

from ..engage.themes.helpers import PARKING, add_text_answers, splitting_word
from ..factories import demo_consultation, user
from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(browser_app, live_server, page):
    with Session(browser_app.extensions["engage.db"]) as s:
        consultation = demo_consultation(s)
        add_sample_responses(s, consultation, 120)
        s.commit()
        user(s, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
        slug = consultation.slug
    sign_in(page, live_server, "lead@example.nhs.uk")
    return slug


def test_run_merge_rename_export(live_server, page, signed_in, browser_app, assert_accessible, tmp_path):
    page.goto(f"{live_server.url}/manage/{signed_in}/themes/")
    assert_accessible(page)
    page.get_by_label("What matters most to you", exact=False).first.check()
    page.get_by_role("button", name="Find themes").click()
    # The progress page updates itself and opens the board when the run is done.
    page.wait_for_url("**/themes/1", timeout=60_000)
    page.get_by_role("heading", name="Themes", exact=True).wait_for(timeout=60_000)
    assert_accessible(page)
    with Session(browser_app.extensions["engage.db"]) as s:
        first, second = s.exec(select(Theme).where(Theme.parent_id.is_(None))
                               .order_by(Theme.position)).all()[:2]
    page.get_by_role("link", name=second.label).first.click()
    assert_accessible(page)
    page.get_by_label("Merge this theme into").select_option(str(first.id))
    page.get_by_role("button", name="Merge themes").click()
    page.get_by_text("Merged").first.wait_for()
    page.get_by_label("Theme name").fill("Time with a real person")
    page.get_by_role("button", name="Save name and description").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Time with a real person")
    assert_accessible(page)
    page.get_by_role("link", name="All themes").click()
    # Count only once the board has loaded: reading straight after the click can read the old page.
    page.wait_for_url("**/themes/1")
    page.get_by_role("heading", name="Themes", exact=True).wait_for()
    assert page.get_by_text("Time with a real person").count() >= 1
    assert page.get_by_text(second.label, exact=True).count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="answers with themes (CSV)").click()
    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Time with a real person" in body and "07700" not in body
    with page.expect_download() as download:
        page.get_by_role("link", name="Word", exact=True).click()
    assert download.value.suggested_filename.endswith(".docx")
    report = Document(download.value.path())
    text = "\n".join(p.text for p in report.paragraphs)
    assert "Time with a real person" in text and "07700" not in text
    page.get_by_role("link", name="Themes by group").click()
    assert_accessible(page)
    # On a phone each theme's row is a block: every figure has its group's name beside it, and
    # nothing runs off the side of the screen (the table was a sideways-scrolling box of
    # cramped columns at 360 px).
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(tmp_path / "matrix-360.png"), full_page=True)
    first_row = page.locator("table.engage-matrix tbody tr").first
    named = first_row.locator(".nhsuk-table__heading")
    columns = page.locator("table.engage-matrix thead th").all_inner_texts()
    assert named.count() == len(columns) >= 3 and named.nth(1).is_visible()
    assert named.nth(1).inner_text().strip() == columns[1].strip()  # the first group's name (n)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert first_row.bounding_box()["width"] <= 360
    assert_accessible(page)


def test_split_by_the_facilitators_choice_gives_unique_names(live_server, page, signed_in, browser_app,
                                                            assert_accessible):
    page.goto(f"{live_server.url}/manage/{signed_in}/themes/")
    page.get_by_label("What matters most to you", exact=False).first.check()
    # Few, broad themes, as a facilitator may ask: the broad ones have sub-themes.
    page.get_by_label("Number of themes", exact=False).fill("6")
    page.get_by_role("button", name="Find themes").click()
    try:
        page.wait_for_url("**/themes/1", timeout=60_000)
    except Exception:  # say why the analysis did not start (a 400 shows its reason on the page)
        raise AssertionError("No analysis started: " + page.inner_text("main")[:800]) from None
    page.get_by_role("heading", name="Themes", exact=True).wait_for(timeout=60_000)
    with Session(browser_app.extensions["engage.db"]) as s:
        themes = s.exec(select(Theme).where(Theme.parent_id.is_(None)).order_by(Theme.position)).all()
        subs = {t.id: s.exec(select(Theme).where(Theme.parent_id == t.id).order_by(Theme.position)).all()
                for t in themes}
        theme = next(t for t in themes if len(subs[t.id]) >= 2)
        chosen, other = subs[theme.id][0], next(t for t in themes if t.id != theme.id)
    # By a sub-theme the engine found, chosen by the facilitator.
    page.get_by_role("link", name=theme.label).first.click()
    page.get_by_role("link", name="Split this theme").click()
    page.wait_for_url("**/split")  # axe on a page still loading finds no main or h1
    page.get_by_role("heading", level=1).wait_for()
    assert_accessible(page)
    page.get_by_label(chosen.label, exact=False).check()
    page.get_by_role("button", name="Preview this split").first.click()
    page.get_by_role("heading", name="What this split would do").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Split the theme").click()
    page.get_by_text(f"into “{chosen.label}”").first.wait_for()
    # By a word the facilitator types, naming the new theme as another theme is already named.
    page.get_by_role("link", name=theme.label).first.click()
    page.get_by_role("link", name="Split this theme").click()
    with Session(browser_app.extensions["engage.db"]) as s:
        word = splitting_word(s, theme.id)
    page.get_by_label("Answers that contain this word or phrase").fill(word)
    page.get_by_label("Name for the new theme (optional)").fill(other.label)
    page.get_by_role("button", name="Preview this split").last.click()
    # The name is taken, so it is numbered.
    renamed = f"{other.label} (2)"
    page.get_by_text(f"New theme “{renamed}”").wait_for()
    page.get_by_role("button", name="Split the theme").click()
    page.get_by_text(f"into “{renamed}”").first.wait_for()
    assert_accessible(page)
    with Session(browser_app.extensions["engage.db"]) as s:
        labels = s.exec(select(Theme.label).where(Theme.parent_id.is_(None))).all()
    assert len(labels) == len(set(labels)) == len(themes) + 2
    for label in (chosen.label, renamed, theme.label):
        assert page.get_by_role("link", name=label, exact=True).count() == 1


def test_an_update_proposes_a_new_theme_and_the_facilitator_adds_it(live_server, page, signed_in,
                                                                     browser_app, assert_accessible,
                                                                     tmp_path):
    page.goto(f"{live_server.url}/manage/{signed_in}/themes/")
    page.get_by_label("What matters most to you", exact=False).first.check()
    page.get_by_role("button", name="Find themes").click()
    page.wait_for_url("**/themes/1", timeout=60_000)
    page.get_by_role("heading", name="Themes", exact=True).wait_for(timeout=60_000)
    with Session(browser_app.extensions["engage.db"]) as s:
        run = s.exec(select(AnalysisRun)).one()
        add_text_answers(s, run.consultation_id, run.question_ids[0], PARKING)
    page.get_by_role("button", name="Add new answers to these themes").click()
    page.get_by_role("heading", name="20 new answers fit no theme").wait_for()
    proposal = page.get_by_role("heading", name="Proposed theme:")
    label = proposal.inner_text().removeprefix("Proposed theme:").strip()
    assert "park" in label.lower()
    assert_accessible(page)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"proposal-{width}.png"), full_page=True)
    page.get_by_role("button", name="Add as a new theme").click()
    page.get_by_text(f"Theme “{label}” added with its answers.").wait_for()
    assert page.get_by_text("fit no theme").count() == 0
    page.get_by_role("link", name=label).click()
    page.get_by_role("heading", level=1, name=label).wait_for()  # the theme's page, loaded
    assert page.get_by_text("Car parking", exact=False).count() >= 1
    assert_accessible(page)
    page.go_back()
    page.get_by_role("button", name="Undo adding the proposed theme").click()
    page.get_by_role("heading", name="20 new answers fit no theme").wait_for()
    assert page.get_by_role("link", name=label).count() == 0
    assert_accessible(page)


def test_the_board_by_keyboard_alone_fewer_broader_themes_and_undo(live_server, page, signed_in, browser_app,
                                                                   assert_accessible):
    """A facilitator who uses no mouse starts a run, groups the themes into fewer, broader ones,
    opens one, and undoes the grouping: every step by Tab, arrows, Space and Enter."""
    page.goto(f"{live_server.url}/manage/{signed_in}/themes/")

    def tab_to(predicate, limit=200):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate):
                return
        raise AssertionError(f"Tab never reached: {predicate}")

    tab_to("document.activeElement.type === 'checkbox'")
    page.keyboard.press("Space")
    tab_to("document.activeElement.textContent.trim() === 'Find themes'")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Themes", exact=True).wait_for(timeout=60_000)
    with Session(browser_app.extensions["engage.db"]) as s:
        before = len(s.exec(select(Theme).where(Theme.parent_id.is_(None))).all())
    tab_to("document.activeElement.id === 'broader-count'")
    chosen = page.evaluate("document.activeElement.options[document.activeElement.options.length - 1].value")
    page.keyboard.press("End")  # the fewest themes offered
    assert page.evaluate("document.activeElement.value") == chosen
    tab_to("document.activeElement.textContent.trim() === 'Group themes'")
    page.keyboard.press("Enter")
    page.get_by_text("broader themes. The themes they bring together").wait_for()
    with Session(browser_app.extensions["engage.db"]) as s:
        after = s.exec(select(Theme).where(Theme.parent_id.is_(None))).all()
    assert len(after) == int(chosen) < before
    assert_accessible(page)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"/tmp/board-broader-{width}.png", full_page=True)
    broad = next(t for t in after if t.description.startswith("Brings together"))
    tab_to(f"document.activeElement.textContent.trim() === {broad.label!r}")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1).wait_for()
    assert page.get_by_role("heading", level=1).inner_text().startswith(broad.label)
    page.go_back()
    tab_to("document.activeElement.textContent.trim().startsWith('Undo grouping')")
    page.keyboard.press("Enter")
    page.get_by_text("Your last change was undone").wait_for()
    with Session(browser_app.extensions["engage.db"]) as s:
        assert len(s.exec(select(Theme).where(Theme.parent_id.is_(None))).all()) == before
