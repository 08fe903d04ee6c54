"""Every workspace page an admin can open, checked by axe (WCAG 2.2 A/AA) on a populated database."""

import pytest
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from engage.themes.jobs import run_analysis
from surveys import theme_runs
from surveys.models import AnalysisRun, Question, Respondent, Theme, User

from ..factories import demo_consultation, user
from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def populated(browser_app):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        consultation = demo_consultation(s)
        add_sample_responses(s, consultation, 60)
        s.commit()
        qids = [q.id for q in s.exec(select(Question).where(Question.type == "text")).all()]
        run = theme_runs.start_run(s, consultation, qids, {"seed": 0}, None)
        s.commit()
        admin = user(s, "admin@example.nhs.uk", "admin")
    with browser_app.app_context():
        run_analysis(run.id)
    with Session(browser_app.extensions["engage.db"]) as s:
        theme = s.exec(select(Theme).where(Theme.run_id == run.id)).first()
        number = s.exec(select(Respondent.id).where(Respondent.submitted_at.is_not(None))).first()
        assert s.get(AnalysisRun, run.id).status == "done"
        other = s.exec(select(User).where(User.id == admin.id)).one()
    c = consultation.slug
    return [
        "/manage/", f"/manage/c/{c}/", f"/manage/c/{c}/settings", "/manage/new", "/manage/import",
        f"/manage/c/{c}/pages/about-you/edit", f"/manage/c/{c}/questions/role/edit",
        f"/manage/c/{c}/pages/new", f"/manage/c/{c}/preview/about-you",
        f"/manage/c/{c}/responses", f"/manage/c/{c}/responses/questions/first-view",
        f"/manage/c/{c}/responses/questions/priorities-and-nhs-app",
        f"/manage/c/{c}/responses/questions/technology-budget",
        f"/manage/c/{c}/responses/text", f"/manage/c/{c}/responses/r/{number}",
        f"/manage/c/{c}/responses/r/{number}/withdraw",
        f"/manage/{c}/themes/", f"/manage/{c}/themes/{run.id}", f"/manage/{c}/themes/{run.id}/t/{theme.id}",
        f"/manage/{c}/themes/{run.id}/matrix", f"/manage/{c}/themes/{run.id}/check",
        f"/workshop/manage/c/{c}/", "/workshop/manage/",
        "/manage/admin/users", "/manage/admin/users/new", f"/manage/admin/users/{other.id}",
        f"/manage/admin/users/{other.id}/password", "/manage/admin/audit", "/account/password",
        f"/manage/c/{c}/copy", f"/manage/c/{c}/entry/", f"/manage/c/{c}/publication/", "/manage/admin/mail",
    ]


def test_every_workspace_page_is_axe_clean_and_reflows_at_320px(live_server, page, populated,
                                                                assert_accessible):
    sign_in(page, live_server, "admin@example.nhs.uk")
    for path in populated:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    # WCAG 1.4.10 reflow: at 320 px nothing makes the page scroll sideways (a wide table scrolls
    # inside its own region or stacks).
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for path in populated:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            overflowing = page.evaluate("""() => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > 321 || e.scrollWidth > e.clientWidth + 1)
              .slice(-3).map(e => `${e.tagName}.${e.className}`)""")
            wide.append(f"{path}: {width} px, {overflowing}")
    assert wide == [], "\n".join(wide)
