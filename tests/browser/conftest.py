"""Real-browser fixtures: the app served on loopback, Playwright driving Debian's Chromium, axe."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from engage import create_app
from engage.worker import run as run_worker

from ..conftest import missing
from ..factories import PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-gpu", "--disable-sync", "--no-first-run"]


def closing(app):
    """Close every response body as soon as it has been sent (or dropped).

    Werkzeug's development server reads what is left of the request before it closes the body;
    when the browser has already gone (a tablet taken offline), that read raises and a static
    file stays open until garbage collection warns. Production serves with gunicorn.
    """
    def wrapped(environ, start_response):
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()
    return wrapped


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, closing(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def browser_app(tmp_path, sqlite_template):
    """The app on its own SQLite database (browser tests run against the embedded default)."""
    path = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}",
                      "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
                      "RATELIMIT_ENABLED": False, "JOB_POLL_SECONDS": 0.2,
                      # Opening a consultation needs a named safeguarding lead (see tests/conftest.py).
                      "SAFEGUARDING_LEADS": frozenset({"safeguarding@example.nhs.uk"})})
    # The embedded default's `engage worker`, in a thread: jobs leave the web process as in production.
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(app, stop), name="engage-test-worker")
    worker.start()
    yield app
    stop.set()
    worker.join(120)
    app.extensions["engage.db"].dispose()


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: ENGAGE_SCREENSHOTS to keep them and look at them, else the test's tmp."""
    folder = Path(os.environ.get("ENGAGE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def live_server(browser_app):
    with LiveServer(browser_app) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    exe = shutil.which("chromium")
    if exe is None:
        missing("Chromium (Debian package: chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(chromium):
    ctx = chromium.new_context(viewport={"width": 1024, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert errors == [], f"JavaScript errors: {errors}"


def sign_in(page, live_server, email: str) -> None:
    """Sign in through the form, as staff do, and wait for the workspace."""
    page.goto(live_server.url + "/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/manage/")


_axe = Axe()


def axe_violations(page) -> list[str]:
    """axe-core violations on the current page, as readable lines: axe's whole default rule set
    (WCAG 2.2 A/AA and best practice), not only the WCAG-tagged rules."""
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            f"{[n['target'] for n in v['nodes'][:3]]})" for v in results.response["violations"]]


@pytest.fixture
def assert_accessible():
    def check(page):
        # A page just navigated to may still be parsing: axe would find no main and no h1 in it.
        page.wait_for_load_state("load")
        violations = axe_violations(page)
        assert violations == [], f"axe violations on {page.url}:\n" + "\n".join(violations)
    return check
