"""Every page of the app, populated, checked by axe with its full rule set (best practice included).

The routes come from the app itself: a page added without being visited here fails the test, so
the sweep cannot silently fall behind the site.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from engage.themes.jobs import run_analysis
from surveys import paper_entry, publication, responses, theme_runs, workshops
from surveys.journey import Structure
from surveys.models import AnalysisRun, Question, Respondent, Theme, ThemeAssignment, User, Workshop

from ..engage.workshop.helpers import make_workshop
from ..factories import demo_consultation, user
from ..journey_helpers import SLUG
from .conftest import axe_violations, sign_in
from .test_journey import walk_by_clicking

pytestmark = pytest.mark.browser

# Endpoints that answer with something other than an HTML page (files, data, redirects).
NOT_PAGES = {
    "static", "main.nhs_assets", "main.health", "workshop.service_worker", "workshop.room_data",
    "themes.export_json", "themes.export_csv", "themes.export_xlsx", "themes.report_docx",
    "themes.report_pdf", "themes.status", "facilitate.export", "facilitate.export_responses", "auth.logout",
    "participate.resume",  # redirects to the person's page (that page is checked)
    "facilitate.paper_pdf",  # a PDF (looked at as PNGs in the paper tests)
    "themes.board_forms",  # the theme board's form addresses opened again: redirects to the board
}
DISCLOSURE = "Mr Jones hit me again and I am scared to go home"


@pytest.fixture
def populated(browser_app):
    """The demo with 60 responses, an analysis run, an open and a closed workshop, a flagged answer."""
    browser_app.config["SAFEGUARDING_LEADS"] = frozenset({"admin@example.nhs.uk"})
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        consultation = demo_consultation(s)
        add_sample_responses(s, consultation, 60)
        respondent, _ = responses.start_response(s, consultation)
        question = s.exec(select(Question).where(Question.key == "what-matters-most")).one()
        parsed, _ = responses.parse_page([question], {f"q-{question.key}": DISCLOSURE})
        responses.save_answer(s, respondent, question, parsed[question.key], None)
        # One taken back before any lead dealt with it: held for the leads, listed on their page.
        taken_back, _ = responses.start_response(s, consultation)
        parsed, _ = responses.parse_page([question], {f"q-{question.key}": "My carer hurts me at night"})
        responses.save_answer(s, taken_back, question, parsed[question.key], None)
        s.flush()
        responses.withdraw(s, taken_back)
        s.commit()
        qids = [q.id for q in s.exec(select(Question).where(Question.type == "text")).all()]
        # Few, broad themes (as a facilitator may ask): broad themes have sub-themes to split by.
        run = theme_runs.start_run(s, consultation, qids, {"seed": 0, "n_themes": 6}, None)
        s.commit()
        user(s, "admin@example.nhs.uk", "admin")
        # Another member of staff: a safeguarding lead's account changes only from the command line.
        colleague = user(s, "facilitator@example.nhs.uk", "facilitator")
        workshop = make_workshop(s, consultation, tables=2)
        closed = make_workshop(s, consultation, tables=1, name="Closed one")
        workshops.close_workshop(s, s.get(Workshop, closed.id))
        s.commit()
    with browser_app.app_context():
        run_analysis(run.id)
    with Session(browser_app.extensions["engage.db"]) as s:
        # A paper response waiting for its second check, and "You said, we did": version 1
        # published, version 2 a draft.
        admin = s.exec(select(User).where(User.email == "admin@example.nhs.uk")).one()
        demo = s.merge(consultation)
        paper = paper_entry.enter_response(s, Structure.load(s, demo), {}, "paper", admin.id)
        words = {"heard": "People want to see the same nurse.", "will_do": "Keep named nurses.",
                 "run_id": run.id, "question_keys": ["connection-vs-speed-before"]}
        publication.publish(s, demo, publication.save_draft(s, demo, admin.id, **words))
        draft = publication.save_draft(s, demo, admin.id, **words)
        paper_number, draft_number = paper.id, draft.number
        s.commit()
    with Session(browser_app.extensions["engage.db"]) as s:
        # A theme with sub-themes, and one of them with answers, for the split preview.
        theme_id, sub = s.exec(select(ThemeAssignment.theme_id, ThemeAssignment.subtheme_id).where(
            ThemeAssignment.run_id == run.id, ThemeAssignment.subtheme_id.is_not(None))).first()
        theme = s.get(Theme, theme_id)
        # Staff pages address a response by its internal number, never its reference code.
        number = s.exec(select(Respondent.id).where(Respondent.submitted_at.is_not(None))).first()
        assert s.get(AnalysisRun, run.id).status == "done"
        other = s.exec(select(User).where(User.id == colleague.id)).one()
        sample = s.exec(select(Workshop).where(Workshop.name.startswith("Sample"))).one()
    c = consultation.slug
    return {
        "workspace": [
            "/manage/", f"/manage/c/{c}/", f"/manage/c/{c}/settings", "/manage/new", "/manage/import",
            f"/manage/c/{c}/welsh",
            f"/manage/c/{c}/pages/about-you/edit", f"/manage/c/{c}/pages/first-view/edit",
            f"/manage/c/{c}/pages/people-and-ai/edit",
            f"/manage/c/{c}/questions/role/edit", f"/manage/c/{c}/questions/new-vs-existing/edit",
            f"/manage/c/{c}/questions/technology-budget-share/edit",
            f"/manage/c/{c}/questions/technology-priorities/edit",
            f"/manage/c/{c}/pages/new", f"/manage/c/{c}/pages/about-you/questions/new",
            f"/manage/c/{c}/pages/anything-else/delete", f"/manage/c/{c}/questions/role/delete",
            f"/manage/c/{c}/preview/about-you", f"/manage/c/{c}/preview/first-view",
            f"/manage/c/{c}/preview/technology-budget",
            f"/manage/c/{c}/responses", f"/manage/c/{c}/responses/questions/first-view",
            f"/manage/c/{c}/responses/questions/priorities-and-nhs-app",
            f"/manage/c/{c}/responses/questions/technology-budget",
            f"/manage/c/{c}/responses/text", f"/manage/c/{c}/responses/r/{number}",
            f"/manage/c/{c}/responses/r/{number}/withdraw",
            f"/manage/{c}/themes/", f"/manage/{c}/themes/{run.id}",
            f"/manage/{c}/themes/{run.id}/t/{theme.id}",
            f"/manage/{c}/themes/{run.id}/t/{theme.id}/split",
            f"/manage/{c}/themes/{run.id}/t/{theme.id}/split?by=subthemes&sub={sub}",
            f"/manage/{c}/themes/{run.id}/matrix", f"/manage/{c}/themes/{run.id}/check",
            f"/manage/c/{c}/copy", f"/manage/c/{c}/entry/", f"/manage/c/{c}/entry/new",
            f"/manage/c/{c}/entry/{paper_number}/check", f"/manage/c/{c}/publication/",
            f"/manage/c/{c}/publication/{draft_number}/preview", "/manage/admin/mail",
            "/workshop/manage/", f"/workshop/manage/c/{c}/", f"/workshop/manage/w/{workshop.id}/",
            f"/workshop/manage/w/{sample.id}/",
            f"/workshop/manage/w/{closed.id}/",
            "/manage/safeguarding", "/manage/safeguarding?show=dealt-with",
            "/manage/admin/users", "/manage/admin/users/new", f"/manage/admin/users/{other.id}",
            f"/manage/admin/users/{other.id}/password", "/manage/admin/audit", "/account/password",
        ],
        "room": [f"/workshop/room/{workshop.join_code}"],
        "kiosk": ["/workshop/", f"/workshop/k/{workshop.join_code}/1"],
        "public": ["/", "/accessibility", "/privacy", "/account/sign-in", "/no-such-page",
                   f"/c/{SLUG}/withdraw", f"/c/{SLUG}/outcome"],
    }


# Elements (or their ::before/::after) that would still move for a person who asked for less motion.
MOVING = """() => [...document.querySelectorAll('*')].flatMap(e => [null, '::before', '::after'].map(p => {
  const s = getComputedStyle(e, p)
  const timed = d => d.split(',').some(t => parseFloat(t) > 0)
  const moves = (timed(s.transitionDuration) && s.transitionProperty !== 'none') ||
                (timed(s.animationDuration) && s.animationName !== 'none')
  return moves ? `${e.tagName}.${e.className}${p || ''}` : null
})).filter(Boolean).slice(0, 5)"""


def response_ok(page) -> bool:
    return "Page not found" not in page.title()


#: Card and callout headings whose words are written again as loose text beside them.
SAID_TWICE = """() => [...document.querySelectorAll('.nhsuk-card__heading')].flatMap(h => {
  const own = h.cloneNode(true);
  own.querySelectorAll('.nhsuk-u-visually-hidden').forEach(e => e.remove());
  const words = own.textContent.trim();
  const loose = [...h.parentElement.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
    .map(n => n.textContent.trim());
  return words && loose.includes(words) ? [words] : [];
})"""


def test_every_route_is_axe_clean_with_every_rule(browser_app, live_server, chromium, populated):
    adapter = browser_app.url_map.bind("127.0.0.1")
    seen_endpoints: set[str] = set()
    problems: list[str] = []

    def check(page, what="", method="GET"):
        path = page.url.removeprefix(live_server.url)
        if response_ok(page):
            seen_endpoints.add(adapter.match(path.split("?")[0], method=method)[0])
        assert page.locator("h1").count() == 1, path
        for line in axe_violations(page):
            problems.append(f"{path}: {line}")
        # No motion under prefers-reduced-motion (every context here asks for less).
        moving = page.evaluate(MOVING)
        if moving:
            problems.append(f"{path}: moves under prefers-reduced-motion: {moving}")
        # A card's heading is said once (a heading passed as translated words, which Jinja marks
        # safe, reached the NHS.UK card as both its text and its HTML: it was shown twice).
        for heading in page.evaluate(SAID_TWICE):
            problems.append(f"{path}: the heading {heading!r} is shown twice")
        # Reflow (WCAG 1.4.10): at 320 px nothing makes the page scroll sideways.
        width = page.viewport_size["width"]
        if width <= 320 and page.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{path}: scrolls sideways at {width} px")

    # A respondent, on a 320 px phone, through the whole journey (save link and results on the way).
    ctx = chromium.new_context(viewport={"width": 320, "height": 740}, reduced_motion="reduce")
    person = ctx.new_page()

    def on_page(page, what):
        check(page, what)
        if what == "about-you":
            here = page.url
            page.goto(f"{live_server.url}/c/{SLUG}/save")
            check(page)
            page.goto(here)

    reference, _ = walk_by_clicking(person, live_server.url, on_page)
    for path in (f"/c/{SLUG}/results", f"/c/{SLUG}/continue", f"/c/{SLUG}/withdraw"):
        person.goto(live_server.url + path)
        check(person)
    # Taking the answers back, last: the confirmation (what will be deleted), then the deletion.
    person.get_by_label("Your reference code").fill(reference)
    person.get_by_role("button", name="Continue").click()
    person.get_by_role("heading", name="Are you sure you want to delete your answers?").wait_for()
    check(person, method="POST")
    person.get_by_role("button", name="Yes, delete my answers").click()
    person.get_by_role("heading", name="Your answers have been deleted").wait_for()
    check(person, method="POST")
    ctx.close()

    # Public pages and the kiosk on a 320 px phone too, then staff pages and the room display at a
    # laptop's width (the workspace sweep checks those at 320 px).
    ctx = chromium.new_context(viewport={"width": 320, "height": 740}, reduced_motion="reduce")
    narrow = ctx.new_page()
    for path in populated["public"] + populated["kiosk"]:
        narrow.goto(live_server.url + path)
        narrow.wait_for_load_state("networkidle")
        check(narrow)
    # "Carry on" from a browser that never started (after sending, it leads to the sent page).
    narrow.goto(f"{live_server.url}/c/{SLUG}/continue")
    assert "We could not find your answers in this browser" in narrow.content()
    check(narrow)
    ctx.close()
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    staff = ctx.new_page()
    sign_in(staff, live_server, "admin@example.nhs.uk")
    for path in populated["workspace"] + populated["room"]:
        response = staff.goto(live_server.url + path)
        assert response.status == 200, path
        if path == "/manage/safeguarding":  # with a disclosure held for the leads
            assert staff.locator("[id^=held-text-]").count() == 1
        check(staff)
    # An edit the theme board refuses (a name already used): the board again, with its error summary.
    board = next(p for p in populated["workspace"] if re.fullmatch(r"/manage/[^/]+/themes/\d+", p))
    staff.goto(live_server.url + board)
    taken = staff.locator(".engage-theme-card .nhsuk-card__heading").first.inner_text().strip()
    staff.get_by_label("Create a theme").fill(taken)
    staff.get_by_role("button", name="Create theme").click()
    staff.locator(".nhsuk-error-summary").wait_for()
    assert staff.get_by_label("Create a theme").input_value() == taken
    check(staff, method="POST")
    staff.set_viewport_size({"width": 320, "height": 740})
    for path in populated["room"]:
        staff.goto(live_server.url + path)
        check(staff)
    ctx.close()

    html_endpoints = {r.endpoint for r in browser_app.url_map.iter_rules()
                      if "GET" in r.methods and r.endpoint not in NOT_PAGES}
    assert problems == [], f"{len(problems)} axe violations:\n" + "\n".join(problems)
    assert html_endpoints - seen_endpoints == set(), "pages the sweep does not visit"
