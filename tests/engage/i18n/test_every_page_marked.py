"""Every respondent-facing page renders with no interface word left unmarked for translation.

The pages are rendered with a pseudo-translation in which every marked word reads ⟦like this⟧;
any visible text (and title, aria-label, placeholder, alt, button value) that is not wrapped must be
the consultation's own words from the database, or data (numbers, codes, dates, addresses). Pages:
start, consent, each question type with its errors, check answers, save, done, results, the
published outcome, withdraw and confirm and withdrawn, kiosk, room display, errors 404/410/500,
home, accessibility, privacy. To check more pages (staff pages, later), add them to a walk below.
"""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
import yaml
from sqlmodel import select

from engage import create_app, errors, i18n
from surveys import publication
from surveys.models import AuditEvent, Consultation

from ...factories import PASSWORD, consultation_from, running_and_failed_runs, user
from ..workshop.helpers import kiosk_token, make_workshop
from .every_type import ANSWERS, DEFINITION, SLUG
from .pseudo import content_strings, pseudo_catalog, unmarked_text

STAFF = "lead@example.nhs.uk"


@pytest.fixture
def pseudo_app(db_url, tmp_path):
    app = create_app({
        "TESTING": True, "DATABASE_URL": db_url, "SERVER_NAME": "localhost",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "SMTP_HOST": "mail.invalid", "MAIL_FROM": "engage@example.nhs.uk",
        "SAFEGUARDING_CONTACT": "Sam Lee on 0300 123 4567",
        "BABEL_TRANSLATION_DIRECTORIES": str(pseudo_catalog(tmp_path / "pseudo")),
    })
    # Flask-Babel keeps loaded catalogs per process, by locale: the pseudo one must not stay "cy"
    # for the apps of later tests (nor an earlier test's real one be used here).
    with app.app_context():
        translations_cache = i18n.babel.domain_instance.cache
    translations_cache.clear()
    yield app
    translations_cache.clear()
    app.extensions["engage.db"].dispose()


class Walk:
    """Visits pages in the pseudo-language and collects every unmarked piece of text."""

    def __init__(self, client, content):
        self.client, self.content, self.problems = client, content, {}

    def check(self, label: str, html: str) -> str:
        found = unmarked_text(html, self.content)
        if found:
            self.problems[label] = found
        return html

    def get(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return self.check(f"GET {url}", response.data.decode())

    def post(self, url: str, data: dict, status: int) -> str:
        response = self.client.post(url, data=data)
        assert response.status_code == status, (url, response.status_code, response.data[:300])
        return self.check(f"POST {url} {sorted(data)}", response.data.decode())


def _answer_page(walk: Walk, url: str) -> str:
    """Post a page's answers (every pair on a pairwise page) and return where it leads."""
    key = url.rsplit("/p/", 1)[1].split("?")[0]
    while True:
        if key == "pairs":
            html = walk.client.get(url).data.decode()
            left = re.search(r'name="q-matters-pair-0" value="([a-z-]+):', html).group(1)
            pair = re.search(r'name="q-matters-pair-0" value="([a-z:-]+)"', html).group(1)
            data = {"q-matters-pair-0": pair, "q-matters-pick-0": left}
        else:
            data = ANSWERS.get(key, {})
        response = walk.client.post(url, data=data)
        assert response.status_code == 302, (key, response.data.decode()[:1500])
        location = response.headers["Location"]
        if location.split("?")[0] != url.split("?")[0]:
            return location


def test_respondent_pages_have_no_unmarked_words(pseudo_app, session):
    consultation = consultation_from(session, DEFINITION)
    workshop = make_workshop(session, consultation, tables=2, name="Cardiff table day")
    user(session, STAFF, consultations=(consultation,))
    # The consultation's words, the person's own answers, and names the site was given.
    content = content_strings(DEFINITION) + content_strings(ANSWERS) + [
        workshop.name, workshop.join_code, "Engage", "Sam Lee on 0300 123 4567", f"/c/{SLUG}/"]
    walk = Walk(pseudo_app.test_client(), content)
    c = f"/c/{SLUG}"

    walk.get("/?lang=cy")
    walk.get("/privacy")
    walk.get("/accessibility")
    walk.get(f"{c}/")
    walk.get(f"{c}/consent")
    walk.post(f"{c}/consent", {}, 400)
    location = walk.client.post(f"{c}/consent", data={"agree": "y"}).headers["Location"]
    # Sending before answering: back to the first page, with a notice.
    sent_early = walk.client.post(f"{c}/submit").headers["Location"]
    assert "⟦Answer the questions on this page" in walk.get(sent_early)

    # Each page: as first shown, with every error it can show, then answered.
    walk.post(location, {"q-role": "other"}, 400)
    while "/p/" in location:
        path = location.split("?")[0]
        walk.get(location)
        if not path.endswith("/p/briefing"):
            walk.post(location, {}, 400)
        if path.endswith("/p/lists"):
            walk.post(location, {"q-several": ["waits", "kindness", "records"], "q-order-waits": "1",
                                 "q-order-kindness": "1", "q-budget-waits": "7"}, 400)
        location = _answer_page(walk, location)

    walk.get(f"{c}/check")
    walk.get(f"{c}/save")
    walk.post(f"{c}/save/email", {"email": "not an address"}, 400)
    walk.client.post(f"{c}/submit")
    done = walk.get(f"{c}/done")
    reference = done.split('id="reference">')[1].split("<")[0]
    walk.post(f"{c}/done/email", {"email": "person@example.com"}, 200)
    walk.post(f"{c}/updates", {"updates-email": "person@example.com"}, 400)
    walk.get(f"{c}/results")

    draft = publication.save_draft(session, session.get(Consultation, consultation.id), None,
                                   heard="People want **kind staff**.", will_do="We will listen.",
                                   question_keys=["connection", "agree"])
    publication.publish(session, session.get(Consultation, consultation.id), draft)
    session.commit()
    walk.content += ["People want kind staff.", "We will listen."]
    walk.get(f"{c}/outcome")

    walk.get(f"{c}/withdraw")
    walk.post(f"{c}/withdraw", {"reference": "OOOO-0000"}, 400)
    walk.post(f"{c}/withdraw", {"reference": "ABCD-2345"}, 400)
    walk.post(f"{c}/withdraw", {"reference": reference.lower()}, 200)
    walk.post(f"{c}/withdraw/confirm", {"reference": reference}, 200)
    walk.post(f"{c}/withdraw/confirm", {"reference": reference}, 200)

    # The kiosk, its server-checked pages, and the room display.
    walk.get("/workshop/")
    walk.get("/workshop/?code=NOPE&table=9", 400)
    kiosk = f"/workshop/k/{workshop.join_code}/1"
    walk.get(f"{kiosk}?lang=cy")  # a tablet keeps its language in its address, not the session
    checked = walk.client.post(f"{kiosk}/check/scale?lang=cy", json={"answers": {}},
                               headers={"X-Kiosk-Token": kiosk_token(pseudo_app, workshop, 1)})
    assert checked.status_code == 422
    walk.check("kiosk check", checked.get_json()["html"])
    walk.get("/account/sign-in")
    walk.post("/account/sign-in", {"email": STAFF, "password": "wrong"}, 400)
    walk.client.post("/account/sign-in", data={"email": STAFF, "password": PASSWORD})
    walk.get("/account/password")
    walk.get(f"/workshop/room/{workshop.join_code}")
    # Staff pages translated so far: the workshop's management pages...
    walk.get("/workshop/manage/")
    walk.get(f"/workshop/manage/c/{SLUG}/")
    walk.post(f"/workshop/manage/c/{SLUG}/", {"name": "", "tables": "0", "pin": "1", "pin_again": "2"}, 400)
    walk.get(f"/workshop/manage/w/{workshop.id}/")
    # ... and the workspace pages translated so far.
    walk.get("/manage/")
    walk.get(f"/manage/c/{SLUG}/")
    walk.get("/manage/import")
    walk.get(f"/manage/{SLUG}/themes/")
    walk.get(f"/manage/c/{SLUG}/entry/")
    walk.get(f"/manage/c/{SLUG}/welsh")
    room_data = walk.client.get(f"/workshop/room/{workshop.join_code}/data.json").get_json()
    walk.check("room data", room_data["html"])

    # Errors: not found, closed (410), and the server's own failure.
    walk.get("/c/no-such-consultation/", 404)
    stored = session.exec(select(Consultation).where(Consultation.slug == SLUG)).one()
    stored.status = "closed"
    session.add(stored)
    session.commit()
    walk.get(f"{c}/consent", 410)
    walk.get(f"{c}/")
    with pseudo_app.test_request_context("/?lang=cy"):
        walk.check("500", errors.render(500)[0])

    assert walk.problems == {}, "\n".join(f"{page}: {found}" for page, found in walk.problems.items())



def test_the_check_finds_words_left_unmarked():
    """The checker itself: a marked sentence may hold markup; anything else with words is found."""
    content = ["Kind staff"]
    assert unmarked_text('<p>⟦Take <a href="/x">part</a> now⟧</p><p>Kind staff: 40%</p>', content) == []
    assert unmarked_text("<p>⟦Page 1⟧ Continue</p>", content) == [("<p>", "Continue")]
    assert unmarked_text('<button aria-label="Close">⟦Close⟧</button>', content) == [
        ("<button aria-label>", "Close")]
    assert unmarked_text('<img alt="A chart" src="x.png"><title>Engage – NHS</title>', ["Engage"]) == [
        ("<img alt>", "A chart"), ("<title>", "NHS")]
    # Content with its figure is content; words with a figure are still words.
    assert unmarked_text("<p>Kind staff 40%, Kind staff (12)</p>", content) == []
    assert unmarked_text("<p>Kind staff 40%, Unkind 12%</p>", content) == [("<p>", "Unkind 12%")]
    assert unmarked_text("<p>Kind staff -1.05 · 13 kind staff · Kind staff</p>", content) == []
    assert unmarked_text("<p>Kind staff · 13 unkind</p>", content) == [("<p>", "13 unkind")]


def test_theme_board_has_no_unmarked_words(pseudo_app, session):
    """The theme board, after an edit (its undo button), with answers waiting for a theme, and the
    theme-by-group table: only the consultation's words, the people's answers and the analysis's
    own words (theme names, keywords, quotes) are left unwrapped."""
    from surveys.models import Answer, Consultation, Question, Theme

    from ...factories import signed_in_lead_with_answers
    from ..reports.test_reports import start
    from ..themes.helpers import PARKING, add_text_answers

    client = pseudo_app.test_client()
    consultation = signed_in_lead_with_answers(pseudo_app, session, client, 60)
    run = start(client, session, consultation)
    base = f"/manage/{consultation.slug}/themes/{run.id}"
    client.get("/?lang=cy")  # what the edits say is said in Welsh too
    first = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).first()
    client.post(f"{base}/t/{first.id}", data={"action": "rename", "rename-label": "Kind staff",
                                              "rename-description": ""})
    add_text_answers(session, consultation.id, run.question_ids[0], PARKING)
    client.post(f"{base}/edit", data={"action": "update"})

    session.expire_all()
    consultation = session.get(Consultation, consultation.id)
    themes = session.exec(select(Theme).where(Theme.run_id == run.id)).all()
    content = [consultation.title, "Kind staff", "Engage"]
    content += [w for t in themes for w in [t.label, *(t.keywords or [])]]
    content += [a for a in session.exec(select(Answer.text_redacted)).all() if a]
    for q in session.exec(select(Question).where(Question.consultation_id == consultation.id)).all():
        content += [q.prompt, *content_strings(q.config), *content_strings(q.translations)]
    content += [consultation.title, *content_strings(consultation.translations)]
    walk = Walk(client, content)
    board = walk.get(base)
    assert "⟦Undo ⟦adding new answers⟧⟧" in board
    assert "fit no theme⟧" in board
    walk.get(f"{base}/matrix")
    walk.get(f"{base}/t/{first.id}")
    client.get("/?lang=en")
    assert walk.problems == {}, "\n".join(f"{page}: {found}" for page, found in walk.problems.items())


def test_builder_and_admin_pages_have_no_unmarked_words(pseudo_app, session):
    """The builder's choice of question type, its delete pages and settings form with its errors,
    the publication page, and the admin's audit and mail pages."""
    consultation = consultation_from(session, DEFINITION)
    consultation.status = "draft"
    session.add(consultation)
    session.commit()
    user(session, "admin@example.nhs.uk", "admin", consultations=(consultation,))
    client = pseudo_app.test_client()
    client.get("/?lang=cy")
    client.post("/account/sign-in", data={"email": "admin@example.nhs.uk", "password": PASSWORD})
    walk = Walk(client, content_strings(DEFINITION) + ["Engage", "admin@example.nhs.uk"])
    walk.get(f"/manage/c/{SLUG}/pages/about/questions/new")
    walk.get(f"/manage/c/{SLUG}/pages/about/questions/new?type=", 400)
    # Each type's settings (their names and hints come from surveys.types), and their errors.
    from surveys.types import REGISTRY

    walk.content.append("Kind staff?")
    refused = 0
    for name in REGISTRY:
        new = f"/manage/c/{SLUG}/pages/about/questions/new?type={name}"
        walk.get(new)
        response = walk.client.post(new, data={"prompt": "Kind staff?"})
        if response.status_code == 400:  # settings it needs (a type that needs none adds the question)
            walk.check(f"POST {new}", response.data.decode())
            refused += 1
    assert refused >= 4
    # The builder's refusals (a key taken) and what stops the consultation opening.
    walk.post(f"/manage/c/{SLUG}/pages/about/questions/new?type=text", {"prompt": "Kind staff?",
                                                                         "key": "agree"}, 400)
    walk.client.post(f"/manage/c/{SLUG}/pages/new", data={"kind": "questions", "title": "Empty page"})
    from surveys.models import Page, Question

    walk.content += ["Empty page", f"/c/{SLUG}/"] + [k for model in (Page, Question)
                                                     for k in session.exec(select(model.key)).all()]
    assert "⟦Add a question to the page" in walk.get(f"/manage/c/{SLUG}/")
    walk.get(f"/manage/c/{SLUG}/questions/agree/delete")
    walk.get(f"/manage/c/{SLUG}/pages/scale/delete")
    walk.get(f"/manage/c/{SLUG}/settings")
    walk.content.append("s" * 2001)
    walk.post(f"/manage/c/{SLUG}/settings", {"title": "", "retention_days": "0", "min_group_size": "",
                                             "summary": "s" * 2001}, 400)
    walk.get(f"/manage/c/{SLUG}/publication/")
    # Importing a file: one with a problem on most lines (the file's own keys and values are
    # read inside the marked sentences), one that is not YAML, and one whose slug is taken.
    from .test_staff_welsh import BROKEN

    for name, text in (("broken", BROKEN), ("not YAML", "slug: x\npages: [\n"),
                       ("slug taken", yaml.safe_dump(DEFINITION))):
        response = walk.client.post("/manage/import", data={"file": (io.BytesIO(text.encode()), "f.yaml")})
        assert response.status_code == 400, name
        refused = unescape(walk.check(f"POST /manage/import ({name})", response.data.decode()))
        assert "⟦line " in refused or "⟦A consultation called" in refused, name
        if name == "broken":
            assert "⟦line 18: ⟦page key 'about' is used twice⟧⟧" in refused
    # The audit log shows what was recorded as recorded: event names, objects and details are data.
    walk.content += [w for e in session.exec(select(AuditEvent)).all()
                     for w in (e.action, f"{e.object_type} {e.object_id}", json.dumps(e.detail))]
    walk.get("/manage/admin/audit")
    # The mail page with an email of each kind waiting, and one that failed (its error is data).
    from surveys import outbox
    from surveys.models import MAIL_KINDS

    for kind in MAIL_KINDS:
        message = outbox.add_message(session, kind, "person@example.com", "Subject", "Body")
    outbox.mark_failed(session, message.id, "SMTP said no")
    session.commit()
    walk.content += ["person@example.com", "SMTP said no"]
    walk.get("/manage/admin/mail")
    client.get("/?lang=en")
    assert walk.problems == {}, "\n".join(f"{page}: {found}" for page, found in walk.problems.items())


def test_staff_pages_have_no_unmarked_words(pseudo_app, session):
    """The workspace with responses and a finished analysis: the overview, every responses page
    (summaries of each question, written answers, one person's answers, taking them back), paper
    entry with its errors and its check, the safeguarding list, the analyses list, the board, a
    theme, the theme-by-group table, a split preview (and a refused one), the blind check from
    start to result, and the progress page while running and after failing. Only the
    consultation's words, the people's answers and the analysis's own words are left unwrapped."""
    from surveys.models import Answer, Consultation, Page, Question, Respondent, Theme
    from surveys.wording import N_, said

    from ...factories import signed_in_lead_with_answers
    from ..reports.test_reports import start

    pseudo_app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    client = pseudo_app.test_client()
    consultation = signed_in_lead_with_answers(pseudo_app, session, client, 60)
    run = start(client, session, consultation)
    client.get("/?lang=cy")
    slug = consultation.slug
    session.expire_all()
    consultation = session.get(Consultation, consultation.id)
    questions = session.exec(select(Question).where(Question.consultation_id == consultation.id)).all()
    themes = session.exec(select(Theme).where(Theme.run_id == run.id)).all()
    content = [consultation.title, consultation.summary or "", consultation.audience or "",
               consultation.consent_text or "", f"/c/{slug}/", "Engage", "lead@example.nhs.uk"]
    content += content_strings(consultation.translations)
    content += [w for t in themes for w in [t.label, t.description or "", *(t.keywords or [])]]
    content += [a for a in session.exec(select(Answer.text_redacted)).all() if a]
    content += [a for a in session.exec(select(Answer.text)).all() if a]
    for q in questions:
        content += [q.key, q.prompt, q.hint or "", *content_strings(q.config)]
        content += content_strings(q.translations)
    pages = session.exec(select(Page).where(Page.consultation_id == consultation.id)).all()
    for page in pages:
        content += [page.title, page.body or "", *content_strings(page.translations)]
    walk = Walk(client, content)

    walk.get(f"/manage/c/{slug}/")
    walk.get(f"/manage/c/{slug}/responses")
    summarised = 0
    for page in pages:  # each questions page with a summary (a page of written answers has none)
        response = client.get(f"/manage/c/{slug}/responses/questions/{page.key}")
        if response.status_code == 200:
            walk.check(f"GET summaries {page.key}", response.data.decode())
            summarised += 1
    assert summarised >= 3
    walk.get(f"/manage/c/{slug}/responses/text")
    walk.get(f"/manage/c/{slug}/responses/text?q=zzqqxx")
    number = session.exec(select(Respondent.id).where(Respondent.consultation_id == consultation.id,
                                                      Respondent.submitted_at.is_not(None))).first()
    walk.get(f"/manage/c/{slug}/responses/r/{number}")
    # The safeguarding list with an answer flagged, a review refused, then recorded.
    flagged = session.exec(select(Answer).where(Answer.text.is_not(None))).first()
    flagged.safeguarding = True
    session.add(flagged)
    session.commit()
    walk.get("/manage/safeguarding")
    refused = walk.post(f"/manage/safeguarding/{flagged.id}", {"outcome": "shrugged"}, 400)
    assert "⟦Choose what you did about this answer.⟧" in refused
    walk.client.post(f"/manage/safeguarding/{flagged.id}", data={"outcome": "no_action"})
    walk.get("/manage/safeguarding")

    walk.get(f"/manage/c/{slug}/entry/new")
    walk.post(f"/manage/c/{slug}/entry/new", {}, 400)
    # A paper response typed in, its list, and its check refused to the one who typed it.
    from ..paper.test_entry import paper_form

    assert walk.client.post(f"/manage/c/{slug}/entry/new", data=paper_form()).status_code == 302
    walk.content += [a for a in session.exec(select(Answer.text_redacted)).all() if a]
    entered = session.exec(select(Respondent.id).where(Respondent.channel == "paper")).one()
    walk.get(f"/manage/c/{slug}/entry/")
    walk.get(f"/manage/c/{slug}/entry/{entered}/check")
    assert "⟦Someone else must check this" in walk.post(f"/manage/c/{slug}/entry/{entered}/check", {}, 400)

    themes_url = f"/manage/{slug}/themes"
    base = f"{themes_url}/{run.id}"
    walk.get(f"{themes_url}/")
    walk.get(base)
    first = next(t for t in themes if t.parent_id is None)
    walk.get(f"{base}/t/{first.id}")
    walk.get(f"{base}/matrix")
    walk.get(f"{base}/t/{first.id}/split")
    subthemes = [t for t in themes if t.parent_id == first.id]
    if subthemes:
        walk.get(f"{base}/t/{first.id}/split?sub={subthemes[0].id}")
    assert "⟦No answer in this theme contains" in walk.get(f"{base}/t/{first.id}/split?phrase=zzqqxx", 400)
    walk.get(f"{base}/check")
    walk.client.post(f"{base}/check", data={"action": "start", "size": "20"})
    for _ in range(20):
        html = walk.get(f"{base}/check")
        code = re.search(r'name="code" value="(\d+)"', html)
        if code is None:
            break
        walk.client.post(f"{base}/check", data={"action": "code", "code": code.group(1), "theme": "none"})
    assert 'name="code"' not in walk.get(f"{base}/check")  # the result, every answer coded

    running, failed = running_and_failed_runs(session, run, said(N_(
        "This analysis stopped without finishing, perhaps because the server restarted. Try it again.")))
    assert "⟦Scoring sentiment⟧" in walk.get(f"{themes_url}/{running.id}")
    walk.get(f"{themes_url}/{failed.id}")

    # An admin: the people who can sign in, adding one (with its errors), taking answers back.
    user(session, "admin@example.nhs.uk", "admin", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "admin@example.nhs.uk", "password": PASSWORD})
    walk.content.append("admin@example.nhs.uk")
    walk.get("/manage/admin/users")
    walk.get("/manage/admin/users/new")
    walk.post("/manage/admin/users/new", {"email": "not an address", "password": "short"}, 400)
    walk.get(f"/manage/c/{slug}/responses/r/{number}/withdraw")
    client.get("/?lang=en")
    assert walk.problems == {}, "\n".join(f"{page}: {found}" for page, found in walk.problems.items())
