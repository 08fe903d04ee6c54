"""The workshop kiosk in Chromium on a tablet (820×1180): people in a row, offline, idle reset, PIN."""

from __future__ import annotations

import io
import json
import re
import shutil
import threading

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from engage import create_app
from surveys import workshops
from surveys.models import Answer, Question, Respondent

from ..engage.workshop.helpers import PIN, make_workshop
from ..factories import consultation_from
from .conftest import LiveServer

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
FIRST_REASON = "Tea with Nurse Okafor on ward 9"
FIRST_WORDS = "My first person secret words"
SECOND_WORDS = "Second person thoughts"

DEFINITION = {
    "slug": "kiosk-test", "title": "Technology and care", "summary": "A short workshop survey.",
    "consent_text": "We keep your answers for 12 months.", "min_group_size": 2,
    "pages": [
        {"key": "about-you", "kind": "questions", "title": "About you", "questions": [
            {"key": "role", "type": "choice", "prompt": "Which best describes you?", "required": True,
             "segment": True, "config": {"options": [{"key": "patient", "label": "Patient"},
                                                     {"key": "staff", "label": "NHS staff"}]}}]},
        {"key": "before", "kind": "questions", "title": "Your first thoughts", "questions": [
            {"key": "speed-before", "type": "tradeoff", "prompt": "Which matters more?", "required": True,
             "config": {"left": "Human connection", "right": "Faster diagnosis", "ask_reason": True}}]},
        {"key": "briefing", "kind": "briefing", "title": "Both sides",
         "body": "Some say people matter most. Others say speed saves lives."},
        {"key": "staff-only", "kind": "questions", "title": "Your work",
         "show_if": {"question": "role", "in": ["staff"]},
         "questions": [{"key": "staff-change", "type": "text", "prompt": "What one change would help?"}]},
        {"key": "after", "kind": "questions", "title": "After the discussion", "questions": [
            {"key": "speed-after", "type": "tradeoff", "prompt": "Which matters more now?", "required": True,
             "repeat_of": "speed-before",
             "config": {"left": "Human connection", "right": "Faster diagnosis"}}]},
        {"key": "anything-else", "kind": "questions", "title": "Anything else", "questions": [
            {"key": "thoughts", "type": "text", "prompt": "Anything else to tell us?"}]},
    ],
}


@pytest.fixture
def kiosk_config():
    return {"KIOSK_IDLE_SECONDS": 600, "KIOSK_WARNING_SECONDS": 30}


@pytest.fixture
def browser_app(tmp_path, sqlite_template, kiosk_config):
    path = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}",
                      "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
                      "RATELIMIT_ENABLED": False, "MIN_GROUP_SIZE": 2, **kiosk_config})
    yield app
    app.extensions["engage.db"].dispose()


@pytest.fixture
def service_workers(request):
    """"allow" (as a tablet runs), or "block" for a test that intercepts the answers being sent:
    a page that the kiosk's service worker controls sends them past Playwright's routes
    (microsoft/playwright#2311), so such a test would sometimes see nothing."""
    return getattr(request, "param", "allow")


@pytest.fixture
def context(chromium, service_workers):
    ctx = chromium.new_context(viewport=TABLET, has_touch=True, service_workers=service_workers)
    yield ctx
    ctx.close()


class Network:
    """What stands between the tablet and the server's answers endpoint, for these tests.

    Playwright's offline mode does not hold for the whole of an offline test: after the kiosk
    reloads itself from the service worker's copy, the new page sometimes starts with
    ``navigator.onLine`` true, and its first request (the outbox's flush) reached the server past
    both the offline mode and the context's routes (seen under load; no request event either).
    So "offline" is made here, where nothing can go round it: while ``offline``, every answer that
    arrives is turned away with a 503, as a dead connection's proxy would, which the kiosk treats
    like the network being away (it keeps the answers queued). Every arrival is recorded."""

    def __init__(self, app):
        self.app = app
        self.offline = False
        self.failing: dict[str, str] = {}  # idempotency key -> the server's message, as a 500
        self.arrivals: list[tuple[str | None, int]] = []  # (idempotency key, status) in order
        self.pages = ""  # kiosk pages: "silent" (no reply until pages_go) or "proxy error"
        self.pages_go = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if self.pages and environ["REQUEST_METHOD"] == "GET" and \
                environ["PATH_INFO"].startswith("/workshop/k/"):
            if self.pages == "proxy error":  # the hospital's proxy cannot reach the server
                start_response("502 Bad Gateway", [("Content-Type", "text/html")])
                return [b"<h1>502 Bad Gateway</h1>"]
            self.pages_go.wait(30)  # "silent": Wi-Fi that carries the request and nothing back, for now
        if environ["REQUEST_METHOD"] != "POST" or not environ["PATH_INFO"].endswith("/responses"):
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            key = json.loads(body).get("idempotency_key")
        except (ValueError, AttributeError):
            key = None
        if self.offline:
            return self._refuse(key, 503, "Unreachable", start_response)
        if key in self.failing:
            return self._refuse(key, 500, self.failing[key], start_response)

        def record(status, headers, exc_info=None):
            with self._lock:
                self.arrivals.append((key, int(status.split()[0])))
            return start_response(status, headers, exc_info)
        return self.app(environ, record)

    def _refuse(self, key, status, message, start_response):
        with self._lock:
            self.arrivals.append((key, status))
        start_response(f"{status} Refused", [("Content-Type", "application/json")])
        return [json.dumps({"status": "error", "message": message}).encode()]

    def stored_keys(self) -> list[str | None]:
        """The keys the server took, in the order it took them (201: stored, not a repeat)."""
        with self._lock:
            return [key for key, status in self.arrivals if status == 201]


@pytest.fixture
def network(browser_app):
    return Network(browser_app)


@pytest.fixture
def live_server(network):
    with LiveServer(network) as server:
        yield server


@pytest.fixture
def db(browser_app):
    with Session(browser_app.extensions["engage.db"], expire_on_commit=False) as s:
        yield s


@pytest.fixture
def workshop(db):
    consultation = consultation_from(db, DEFINITION)
    return make_workshop(db, consultation, tables=2)


@pytest.fixture
def kiosk(live_server, page, workshop):
    page.goto(f"{live_server.url}/workshop/k/{workshop.join_code}/1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Technology and care")
    return page


def stored(db):
    db.expire_all()
    people = db.exec(select(Respondent).order_by(Respondent.id)).all()
    rows = db.exec(select(Answer.respondent_id, Question.key, Answer.value, Answer.text)
                   .join(Question, Question.id == Answer.question_id)).all()
    answers = {}
    for respondent_id, key, value, text in rows:
        answers.setdefault(respondent_id, {})[key] = (value, text)
    return people, answers


def cont(page):
    page.get_by_role("button", name="Continue", exact=True).click()


def choose_point(page, label: str) -> None:
    """A trade-off on the kiosk is answered on its slider (the one control with JavaScript): tap
    the point that stands for ``label``."""
    value = page.get_by_label(label, exact=True).get_attribute("value")
    page.locator(f"#kiosk-screen .engage-slider__point[data-value='{value}']").click()
    assert page.get_by_label(label, exact=True).is_checked()


def answer_everything(page, role="Patient", before="Prefer human connection", reason=FIRST_REASON,
                      after="Both equally", words=FIRST_WORDS, check=None):
    """One person's whole journey through the kiosk, up to the Send page."""
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    page.get_by_label(role, exact=True).check()
    cont(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first thoughts")
    if check:
        check(page)
    choose_point(page, before)
    page.get_by_label("Why did you choose this? (optional)").fill(reason)
    cont(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Both sides")
    cont(page)
    if role == "NHS staff":
        expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
        page.get_by_label("What one change would help?").fill("Fewer passwords")
        cont(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("After the discussion")
    choose_point(page, after)
    cont(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anything else")
    page.get_by_label("Anything else to tell us?").fill(words)
    cont(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")


def send_and_pass_on(page, check=None) -> str:
    """Send, then hand over; returns the reference code the person was shown. ``check`` runs on
    the thank-you screen, before the hand-over reloads the kiosk."""
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible()
    # Focus on the screen's heading, with the code just below it (see the small-screen test).
    expect(page.get_by_role("heading", name="Thank you, your answers are saved")).to_be_focused()
    if check:
        check(page)
    reference = page.locator("[data-kiosk-reference-code]").inner_text()
    page.get_by_role("button", name="Start for the next person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Technology and care")
    return reference


def browser_traces(page) -> str:
    """Everything this tablet's browser keeps: the page, storage, cookies and cached responses."""
    return page.evaluate("""async () => {
        const parts = [document.documentElement.outerHTML]
        for (const store of [localStorage, sessionStorage]) {
            for (let i = 0; i < store.length; i++) parts.push(store.key(i), store.getItem(store.key(i)))
        }
        parts.push(document.cookie)
        for (const name of await caches.keys()) {
            const cache = await caches.open(name)
            for (const request of await cache.keys()) {
                parts.push(request.url, await (await cache.match(request)).text())
            }
        }
        for (const el of document.querySelectorAll('input, textarea')) parts.push(el.value)
        return parts.join('\\n')
    }""")


def wait_until_kept_for_offline(page):
    """The service worker controls the page and every asset the kiosk needs is on the tablet."""
    page.wait_for_function("""() => !!navigator.serviceWorker.controller &&
        document.getElementById('kiosk').dataset.offline === 'ready'""")


def go_offline(page, context, network):
    """Cut the tablet off: the server takes no answers (see Network), and the browser is offline
    (so the page knows, and reloads from the service worker's copy); wait until the page knows."""
    network.offline = True
    context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")


def go_online(context, network):
    network.offline = False
    context.set_offline(False)


def kept_keys(page) -> list[str]:
    """What the tablet keeps in local storage, by name (the join code written as *)."""
    return sorted(re.sub(r"/k/[^/]+/", "/k/*/", k) for k in page.evaluate("Object.keys(localStorage)"))


def queued_keys(page) -> list[str]:
    """The idempotency keys waiting in the tablet's outbox, oldest first."""
    return page.evaluate("JSON.parse(localStorage.getItem('engage-kiosk-outbox') || '[]')"
                         ".map(e => e.idempotency_key)")


def test_two_people_in_a_row_leave_nothing_of_the_first(kiosk, context, db, assert_accessible):
    page = kiosk
    assert_accessible(page)
    answer_everything(page, check=assert_accessible)
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible()
    expect(page.get_by_text("Your reference code is")).to_be_visible()
    reference = page.locator("[data-kiosk-reference-code]").inner_text()
    assert len(reference) == 9
    assert_accessible(page)
    page.get_by_role("button", name="Start for the next person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Technology and care")

    # Nothing of the first person anywhere in the browser: screen, storage, cookies, caches.
    traces = browser_traces(page)
    assert FIRST_REASON not in traces and FIRST_WORDS not in traces and reference not in traces
    assert context.cookies() == []
    assert page.evaluate("sessionStorage.length") == 0
    # Only the kiosk's marker and the table's stock of reference codes nobody has been shown.
    assert kept_keys(page) == ["engage-kiosk", "engage-kiosk-references:/workshop/k/*/1"]

    # The second person starts from blank pages, even going back and forth.
    page.get_by_role("button", name="Start").click()
    assert not page.get_by_label("Patient", exact=True).is_checked()
    page.get_by_label("NHS staff", exact=True).check()
    cont(page)
    assert page.get_by_label("Why did you choose this? (optional)").input_value() == ""
    for label in ["Prefer human connection", "Both equally", "Strongly prefer faster diagnosis"]:
        assert not page.get_by_label(label, exact=True).is_checked()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("NHS staff", exact=True)).to_be_checked()
    page.get_by_role("button", name="Back").click()  # back to the start: this person is abandoned
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Back").click()
    answer_everything(page, role="NHS staff", before="Strongly prefer faster diagnosis",
                      reason="Waiting is the worst", after="Prefer faster diagnosis", words=SECOND_WORDS)
    send_and_pass_on(page)

    people, answers = stored(db)
    assert [(p.channel, p.table_number, p.segment) for p in people] == [
        ("workshop", 1, "patient"), ("workshop", 1, "staff")]
    first, second = (answers[p.id] for p in people)
    assert first["speed-before"] == (-2, FIRST_REASON) and first["thoughts"][1] == FIRST_WORDS
    assert "staff-change" not in first
    assert second["speed-before"] == (3, "Waiting is the worst")
    assert second["staff-change"][1] == "Fewer passwords" and second["thoughts"][1] == SECOND_WORDS


def test_a_missing_required_answer_is_shown_with_the_nhs_error_pattern(kiosk, assert_accessible):
    page = kiosk
    page.get_by_role("button", name="Start").click()
    cont(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select which best describes you")
    assert_accessible(page)
    page.get_by_label("Patient", exact=True).check()
    cont(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first thoughts")


def test_answers_are_checked_before_sending_and_a_change_returns_to_the_check(kiosk, db):
    page = kiosk
    answer_everything(page)
    check = page.locator("[data-kiosk-check]")
    for shown in ("Patient", "Prefer human connection", f"Why did you choose this?: {FIRST_REASON}",
                  "Both equally", FIRST_WORDS):
        expect(check).to_contain_text(shown)
    row = check.locator(".nhsuk-summary-list__row", has_text="Prefer human connection")
    row.get_by_role("link", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first thoughts")
    expect(page.get_by_label("Prefer human connection", exact=True)).to_be_checked()
    choose_point(page, "Strongly prefer faster diagnosis")
    cont(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    expect(check).to_contain_text("Strongly prefer faster diagnosis")
    expect(check).not_to_contain_text("Prefer human connection")
    send_and_pass_on(page)
    people, answers = stored(db)
    assert answers[people[0].id]["speed-before"] == (3, FIRST_REASON)


def test_offline_answers_are_queued_and_each_arrives_exactly_once(kiosk, context, db, network):
    page = kiosk
    wait_until_kept_for_offline(page)
    go_offline(page, context, network)
    indicator = page.locator("#kiosk-outbox")
    tried = []  # answers this page tried to send
    page.on("request", lambda r: tried.append(r.url) if r.method == "POST" and "/responses" in r.url
            else None)

    def nothing_was_tried(page):
        # This page knows it is offline: the answers are kept without even trying to send them.
        assert tried == [] and network.arrivals == []
        assert len(queued_keys(page)) == 1

    answer_everything(page)
    # Even offline, each person leaves with a reference code that can take their answers back.
    references = [send_and_pass_on(page, check=nothing_was_tried)]  # reloads from the tablet's copy
    expect(indicator).to_contain_text("Answers from 1 person are saved on this tablet")
    answer_everything(page, role="NHS staff", reason="Offline reason two", words=SECOND_WORDS)
    references.append(send_and_pass_on(page))
    expect(indicator).to_contain_text("Answers from 2 people are saved on this tablet")
    expect(indicator).to_contain_text("will be sent when the connection returns")
    keys = queued_keys(page)
    assert len(set(keys)) == 2
    assert stored(db)[0] == [] and network.stored_keys() == []

    go_online(context, network)
    expect(indicator).to_have_text("", timeout=15_000)
    # Only the kiosk's marker and the table's stock of codes nobody has been shown: the outbox
    # is empty, so no later flush (the timer, another online event) has anything to send.
    assert kept_keys(page) == ["engage-kiosk", "engage-kiosk-references:/workshop/k/*/1"]
    # Each was taken once, in the order the people answered; any other arrival was turned away
    # while offline (503) or answered as a repeat (200).
    assert network.stored_keys() == keys
    assert {status for _key, status in network.arrivals} <= {201, 200, 503}
    people, answers = stored(db)
    assert [p.segment for p in people] == ["patient", "staff"]
    assert [p.reference for p in people] == references and len(references[0]) == 9
    assert [p.idempotency_key for p in people] == keys
    assert answers[people[0].id]["thoughts"][1] == FIRST_WORDS
    assert answers[people[1].id]["speed-before"] == (-2, "Offline reason two")


def test_an_answer_the_server_rejects_is_set_aside_and_the_rest_are_sent(kiosk, context, db, network):
    page = kiosk
    wait_until_kept_for_offline(page)
    go_offline(page, context, network)
    answer_everything(page)
    first = send_and_pass_on(page)
    answer_everything(page, role="NHS staff", reason="Offline reason two", words=SECOND_WORDS)
    second = send_and_pass_on(page)
    keys = queued_keys(page)
    assert len(set(keys)) == 2

    # The server fails on the first person's answers every time (on the server, not with a route:
    # a page the kiosk's service worker controls can send past Playwright's routes).
    network.failing[keys[0]] = "The server could not store these answers."
    go_online(context, network)
    indicator = page.locator("#kiosk-outbox")
    # The second person's answers do not wait behind the first's.
    expect(indicator).to_contain_text("Answers from 1 person could not be saved", timeout=30_000)
    expect(indicator).to_contain_text("The server could not store these answers. Please tell the "
                                      "facilitator.")
    people, _ = stored(db)
    assert [p.reference for p in people] == [second] and first != second
    assert network.stored_keys() == [keys[1]]
    assert page.evaluate("localStorage.getItem('engage-kiosk-outbox')") is None
    # The tablet keeps telling the table after the next person starts.
    page.get_by_role("button", name="Start").click()
    expect(indicator).to_contain_text("could not be saved")


@pytest.mark.parametrize("service_workers", ["block"], indirect=True)
def test_a_lost_reply_is_retried_without_doubling(kiosk, db):
    page = kiosk
    calls = []

    def lose_first_reply(route):
        calls.append(route.request.post_data_json["idempotency_key"])
        response = route.fetch()  # the server stores the response...
        if len(calls) == 1:
            route.abort()  # ...but the tablet never hears back
        else:
            route.fulfill(response=response)

    page.route("**/responses", lose_first_reply)
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible()
    expect(page.locator("#kiosk-outbox")).to_have_text("", timeout=15_000)
    assert len(calls) >= 2 and len(set(calls)) == 1
    assert len(stored(db)[0]) == 1


@pytest.mark.parametrize("kiosk_config", [{"KIOSK_IDLE_SECONDS": 1, "KIOSK_WARNING_SECONDS": 3}])
def test_inactivity_warning_then_reset(kiosk, assert_accessible):
    page = kiosk
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Patient", exact=True).check()
    dialog = page.get_by_role("dialog", name="Are you still there?")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("button", name="Continue answering")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name="Continue answering").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Patient", exact=True)).to_be_checked()

    # Nobody comes back: the warning counts down, then the tablet is cleared.
    expect(dialog).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Technology and care", timeout=10_000)
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Start").click()
    assert not page.get_by_label("Patient", exact=True).is_checked()


@pytest.mark.parametrize("kiosk_config", [{"KIOSK_IDLE_SECONDS": 600, "KIOSK_WARNING_SECONDS": 30,
                                           "KIOSK_REFERENCE_SECONDS": 2}])
def test_the_thank_you_screen_hides_the_code_once_noted_or_after_a_short_time(kiosk, assert_accessible):
    """The code takes the answers back: the next person at the table must not find it on the
    screen. It goes when the person says they have noted it, or by itself after a short time that
    the screen states, unless they asked for more time."""
    page = kiosk
    heading = page.get_by_role("heading", name="Please pass the tablet on")
    status = page.locator("[data-kiosk-reference-status]")

    def sent() -> str:
        answer_everything(page)
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_role("heading", name="Thank you, your answers are saved")).to_be_focused()
        return page.locator("[data-kiosk-reference-code]").inner_text()

    def gone(reference: str) -> None:
        expect(status).to_have_text("Your reference code has been hidden.")
        assert status.get_attribute("role") == "status"  # a screen reader hears that it went
        assert page.locator("[data-kiosk-reference-code]").count() == 0
        # Not only out of sight: out of the screen's markup.
        assert reference not in page.locator("#kiosk-screen").inner_html()

    # Noted: "I have noted my code" takes it away at once, and focus moves on to what to do next.
    reference = sent()
    expect(page.get_by_text("the code disappears from the screen after 2 seconds")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I have noted my code").click()
    gone(reference)
    expect(heading).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name="Start for the next person").click()

    # The tablet put down with the code showing: it goes by itself.
    reference = sent()
    expect(page.locator("[data-kiosk-reference-code]")).to_have_count(0, timeout=5_000)
    gone(reference)
    page.get_by_role("button", name="Start for the next person").click()

    # More time: the clock stops; the code stays until the person says they have noted it.
    reference = sent()
    page.get_by_role("button", name="I need more time").click()
    expect(page.get_by_role("button", name="I have noted my code")).to_be_focused()
    expect(page.get_by_text("will stay on the screen until you press")).to_be_visible()
    page.wait_for_timeout(3_000)
    expect(page.locator("[data-kiosk-reference-code]")).to_have_text(reference)
    assert_accessible(page)
    page.get_by_role("button", name="I have noted my code").click()
    gone(reference)


def test_each_screen_has_its_own_title_and_urgent_help_leads_nowhere_else(kiosk):
    """A screen reader hears each screen's name, and "Error:" when something needs fixing, as on
    the online journey. The thank-you screen's urgent help gives NHS 111's address as words: a
    link there took the tablet out of kiosk mode without the PIN, and the code with it."""
    page = kiosk
    service = page.title()
    assert service.startswith("Technology and care – ")
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_title(f"About you – {service}")
    cont(page)
    expect(page).to_have_title(f"Error: About you – {service}")
    page.get_by_label("Patient", exact=True).check()
    cont(page)
    expect(page).to_have_title(f"Your first thoughts – {service}")
    page.reload()  # back to the welcome screen, named as the kiosk page is
    expect(page.get_by_role("heading", level=1)).to_have_text("Technology and care")
    expect(page).to_have_title(service)
    answer_everything(page)
    expect(page).to_have_title(f"Check your answers before sending them – {service}")

    def no_way_out(page):
        expect(page).to_have_title(f"Thank you, your answers are saved – {service}")
        help_box = page.locator("#kiosk-screen .engage-urgent-help")
        expect(help_box).to_contain_text("go to 111.nhs.uk")
        assert help_box.locator("a").count() == 0
        assert page.locator("#kiosk-screen a[href^='http']").count() == 0

    send_and_pass_on(page, check=no_way_out)
    expect(page).to_have_title(service)


def test_leaving_kiosk_mode_needs_the_pin(kiosk, live_server, assert_accessible):
    page = kiosk
    # A participant cannot just go elsewhere in the service: the tablet returns to its kiosk.
    page.goto(live_server.url + "/workshop/")
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    assert "/workshop/k/" in page.url

    page.get_by_role("button", name="Exit kiosk (facilitator)").click()
    dialog = page.get_by_role("dialog", name="Leave kiosk mode")
    expect(dialog).to_be_visible()
    expect(page.get_by_label("Facilitator's PIN")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Facilitator's PIN").fill("0000")
    page.get_by_role("button", name="Leave kiosk mode").click()
    expect(dialog).to_contain_text("That PIN is not right")
    assert "/workshop/k/" in page.url
    page.get_by_label("Facilitator's PIN").fill(PIN)
    page.get_by_role("button", name="Leave kiosk mode").click()
    page.wait_for_url(live_server.url + "/workshop/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join a workshop")
    assert page.evaluate("localStorage.getItem('engage-kiosk')") is None
    assert_accessible(page)


def test_answers_waiting_on_a_tablet_are_sent_after_its_workshop_closes(kiosk, context, db, network,
                                                                        workshop, live_server,
                                                                        assert_accessible):
    """The server takes a closed workshop's late answers for a while; a tablet that was reloaded
    (its battery died) meets the closed page, which must still send them, then let the tablet
    join the next workshop."""
    page = kiosk
    wait_until_kept_for_offline(page)
    go_offline(page, context, network)
    answer_everything(page)
    reference = send_and_pass_on(page)
    keys = queued_keys(page)
    assert len(keys) == 1
    workshops.close_workshop(db, workshop)  # the facilitator closes the workshop meanwhile
    db.commit()
    page.close()  # the battery dies; the tablet comes back on the network and opens its kiosk
    go_online(context, network)
    page = context.new_page()
    page.goto(f"{live_server.url}/workshop/k/{workshop.join_code}/1")
    expect(page.get_by_role("heading", level=1)).to_have_text("This is no longer available")
    expect(page.get_by_role("status")).to_have_text(
        "All the answers that were waiting on this tablet have been sent.", timeout=15_000)
    assert network.stored_keys() == keys
    assert [p.reference for p in stored(db)[0]] == [reference]
    assert page.evaluate("localStorage.getItem('engage-kiosk-outbox')") is None
    assert_accessible(page)
    # Nothing waits: the tablet no longer returns to the closed kiosk, and can join another.
    page.goto(f"{live_server.url}/workshop/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join a workshop")


@pytest.mark.parametrize("service_workers", ["block"], indirect=True)
def test_wifi_that_carries_nothing_back_does_not_hold_the_person_up(kiosk, db):
    """Hospital Wi-Fi can stay connected while no reply comes back: the page check gives up and
    the person goes on; Send gives up, keeps the answers queued and thanks them; the answers
    arrive once when replies come back."""
    page = kiosk
    held = []  # requests that never get a reply

    page.route("**/check/**", lambda route: held.append(route))
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Patient", exact=True).check()
    cont(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first thoughts", timeout=15_000)
    assert len(held) == 1
    page.unroute("**/check/**")
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="Back").click()

    sends = []

    def hold_the_first(route):
        sends.append(route.request.post_data_json["idempotency_key"])
        if len(sends) == 1:
            held.append(route)
        else:
            route.continue_()

    page.route("**/responses", hold_the_first)
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible(timeout=20_000)
    reference = page.locator("[data-kiosk-reference-code]").inner_text()
    expect(page.locator("#kiosk-outbox")).to_have_text("", timeout=20_000)
    assert len(sends) >= 2 and len(set(sends)) == 1
    assert [p.reference for p in stored(db)[0]] == [reference]


@pytest.mark.parametrize("service_workers", ["block"], indirect=True)
def test_a_wifi_sign_in_page_answering_for_the_server_does_not_lose_answers(kiosk, db):
    """A captive portal answers the tablet's request itself (200, a web page): the answers have not
    reached Engage, so they stay queued until the server itself says it has them."""
    page = kiosk
    sends = []

    def portal_first(route):
        sends.append(route.request.post_data_json["idempotency_key"])
        if len(sends) == 1:
            route.fulfill(status=200, content_type="text/html",
                          body="<html><h1>Sign in to NHS Guest Wi-Fi</h1></html>")
        else:
            route.continue_()

    page.route("**/responses", portal_first)
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible()
    reference = page.locator("[data-kiosk-reference-code]").inner_text()
    expect(page.locator("#kiosk-outbox")).to_have_text("", timeout=20_000)
    assert len(sends) >= 2 and len(set(sends)) == 1
    people, _ = stored(db)
    assert [p.reference for p in people] == [reference]


@pytest.mark.parametrize("trouble", ["silent", "proxy error"])
def test_a_reload_on_wifi_that_carries_nothing_back_uses_the_tablets_copy(kiosk, network, trouble):
    """Handing over reloads the kiosk: when no reply comes soon, or only a proxy's error, the
    tablet's own copy is shown."""
    page = kiosk
    wait_until_kept_for_offline(page)
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible()
    network.pages = trouble
    try:
        page.get_by_role("button", name="Start for the next person").click()
        expect(page.get_by_role("button", name="Start")).to_be_visible(timeout=15_000)
        expect(page.get_by_role("heading", level=1)).to_have_text("Technology and care")
    finally:
        network.pages_go.set()


@pytest.mark.parametrize("service_workers", ["block"], indirect=True)
def test_pressing_continue_twice_on_slow_wifi_keeps_what_is_typed_next(kiosk):
    """On slow Wi-Fi a person presses Continue again; the late reply to the second press must not
    draw the next page afresh over what they have begun to answer there."""
    page = kiosk
    held = []
    page.route("**/check/**", lambda route: held.append(route))
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Patient", exact=True).check()
    cont(page)
    cont(page)
    for _n in range(50):  # both presses' checks are on their way
        if len(held) == 2:
            break
        page.wait_for_timeout(100)
    assert len(held) == 2
    held[0].continue_()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first thoughts")
    page.get_by_label("Why did you choose this? (optional)").fill("Typed while waiting")
    held[1].continue_()
    page.wait_for_timeout(1_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first thoughts")
    expect(page.get_by_label("Why did you choose this? (optional)")).to_have_value("Typed while waiting")


@pytest.mark.parametrize("service_workers", ["block"], indirect=True)
def test_answers_being_sent_while_their_person_waits_are_not_also_sent_from_the_queue(kiosk, db):
    """While a person waits for Send on slow Wi-Fi, the tablet's queue (sent every few seconds)
    must not send the same answers leniently beside them: a page the server finds a problem with
    would be dropped, or, once the person corrects it and sends again, stored a second time."""
    page = kiosk
    sent = []

    def slow(route):
        sent.append(route.request.post_data_json)
        page.wait_for_timeout(7_000)  # longer than the queue's 5 s round
        route.continue_()

    page.route("**/responses", slow)
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Please pass the tablet on")).to_be_visible(timeout=20_000)
    assert [body["lenient"] for body in sent] == [False]
    assert len(stored(db)[0]) == 1


@pytest.mark.parametrize("size", [(320, 640), (360, 740), (1024, 600)])
def test_the_code_is_on_the_screen_after_sending_on_a_small_or_landscape_tablet(kiosk, size):
    """Focus went to "Please pass the tablet on", below the code: the page scrolled down until
    the code was off the top of the screen, and a screen reader began after it, after the clock
    that hides it and the button that stops that clock. Focus now stays at the top."""
    page = kiosk
    page.set_viewport_size({"width": size[0], "height": size[1]})
    answer_everything(page)
    page.get_by_role("button", name="Send").click()
    thanks = page.get_by_role("heading", name="Thank you, your answers are saved")
    expect(thanks).to_be_focused()
    expect(page.locator("[data-kiosk-reference-code]")).to_be_in_viewport()
    expect(page.get_by_role("button", name="I need more time")).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
