"""'You said, we did' in a real browser: compose, preview, publish, then read it as the public on a
360 px phone; axe-clean throughout."""

from datetime import date

import pytest
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from engage.themes.jobs import run_analysis
from surveys import theme_runs
from surveys.models import Question

from ..factories import demo_consultation, user
from .conftest import sign_in
from .test_journey import PHONE, new_page  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
#: A day to report back by that is still to come (a day gone is refused).
NEXT_YEAR = date.today().year + 1


@pytest.fixture
def analysed(browser_app):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        consultation = demo_consultation(s)
        add_sample_responses(s, consultation, 60)
        lead = user(s, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
        texts = [q.id for q in s.exec(select(Question).where(Question.type == "text"))]
        run = theme_runs.start_run(s, consultation, texts, {"seed": 0}, lead.id)
        s.commit()
    with browser_app.app_context():
        run_analysis(run.id)
    return consultation


def test_compose_preview_publish_and_read_on_a_phone(live_server, page, new_page, analysed,  # noqa: F811
                                                     assert_accessible):
    slug = analysed.slug
    sign_in(page, live_server, "lead@example.nhs.uk")
    page.goto(f"{live_server.url}/manage/c/{slug}/")
    page.get_by_role("link", name="You said, we did").click()
    assert_accessible(page)
    page.get_by_label("What we heard", exact=True).fill("Most of you want a person to talk to.")
    page.get_by_label("What we will do", exact=True).fill(
        "We will keep phone appointments for everyone who wants one.")
    page.get_by_label("When you will report back on what was done").fill(f"{NEXT_YEAR}-03-31")
    page.get_by_role("group", name="Charts to show").get_by_label(
        "Human connection or faster diagnosis (at the start)").check()
    themes = page.get_by_role("group", name="Themes to show").get_by_role("checkbox")
    themes.first.check()
    first_theme = page.get_by_role("group", name="Themes to show").locator("label").first.inner_text().strip()
    quote_box = page.get_by_role("group", name=f"Quotes for {first_theme}").get_by_role("checkbox").first
    quote_box.check()
    quote = page.locator(f"label[for='{quote_box.get_attribute('id')}']").inner_text().strip()
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft and preview").click()
    assert "/publication/1/preview" in page.url
    assert page.get_by_text("Preview of version 1").is_visible()
    assert page.get_by_text(quote).first.is_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Publish version 1").click()
    assert page.get_by_text("Published version 1").is_visible()
    assert_accessible(page)

    public = new_page(**PHONE)
    public.goto(f"{live_server.url}/c/{slug}/")
    public.get_by_role("link", name="You said, we did").click()
    public.wait_for_url(f"**/c/{slug}/outcome")
    assert public.get_by_role("heading", level=1).inner_text() == "You said, we did"
    assert public.get_by_text("We will keep phone appointments").is_visible()
    assert public.get_by_text(quote).first.is_visible()
    assert public.get_by_text(f"31 March {NEXT_YEAR}").is_visible()
    assert public.locator("table").count() >= 1  # the chart's data table
    width = public.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the public page scrolls sideways at 360 px ({width} px)"
    assert_accessible(public)
