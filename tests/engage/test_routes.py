"""Every route × every kind of visitor: who is sent to sign in, who is refused, who gets in.

The routes come from ``app.url_map``, so a new route fails ``test_every_route_has_a_policy``
until it is given one here. Each request also shows that nothing is cached: every response but
a static file says ``Cache-Control: no-store``, downloads included.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from engage.sample_responses import add_sample_responses
from surveys import theme_runs
from surveys.models import (
    AnalysisRun,
    Answer,
    Consultation,
    ConsultationAccess,
    Page,
    Question,
    Respondent,
    Theme,
    User,
    Workshop,
)

from ..factories import PASSWORD, demo_consultation, user
from ..journey_helpers import begin
from .workshop.helpers import make_workshop

LEAD = "lead@example.nhs.uk"
ROLES = ("anonymous", "respondent", "viewer", "facilitator without access", "facilitator", "admin",
         "safeguarding lead")
#: Who may use each kind of route (beyond these, signed-out visitors are sent to sign in and
#: signed-in ones refused with 403).
ALLOWED = {
    "staff": {"viewer", "facilitator without access", "facilitator", "admin", "safeguarding lead"},
    "builder": {"facilitator without access", "facilitator", "admin"},
    "read": {"viewer", "facilitator", "admin"},
    "edit": {"facilitator", "admin"},
    "admin": {"admin"},
    "lead": {"safeguarding lead"},
}
READ, EDIT = "read", "edit"
#: (endpoint, method) -> policy. "public": anyone, and signed-in staff get nothing more;
#: "kiosk": a tablet's signed token, which no visitor here has (403 for all alike).
POLICY = {
    **{(e, m): "public" for e in (
        "main.home", "main.accessibility", "main.health", "main.privacy", "main.nhs_assets", "static",
        "participate.start", "participate.check", "participate.consent", "participate.resume_here",
        "participate.done", "participate.page", "participate.results", "participate.resume",
        "participate.save_link", "participate.submit", "participate.withdraw", "auth.login",
        "participate.email_resume_link", "participate.email_receipt", "participate.updates",
        "participate.outcome",
        "auth.logout", "workshop.join", "workshop.kiosk", "workshop.service_worker")
       for m in ("GET", "POST")},
    ("participate.withdraw_confirm", "POST"): "public", ("participate.withdraw_pending", "POST"): "public",
    **{(e, "POST"): "kiosk" for e in ("workshop.check_page", "workshop.exit_kiosk", "workshop.submit")},
    ("facilitate.index", "GET"): "staff", ("auth.change_password", "GET"): "staff",
    ("auth.change_password", "POST"): "staff",
    **{(e, m): "builder" for e in ("facilitate.new", "facilitate.import_") for m in ("GET", "POST")},
    ("workshop.manage_index", "GET"): "builder",
    **{(e, "GET"): READ for e in (
        "facilitate.overview", "facilitate.export", "facilitate.responses", "facilitate.response_summaries",
        "facilitate.respondent", "facilitate.response_texts", "facilitate.preview", "themes.index",
        "themes.run", "themes.export_json", "themes.export_csv", "themes.export_xlsx", "themes.evaluate",
        "themes.matrix", "themes.report_docx", "themes.report_pdf", "themes.status", "themes.theme",
        "themes.board_forms", "facilitate.export_responses",
        "workshop.room", "workshop.room_data")},
    **{(e, m): EDIT for e in (
        "facilitate.settings", "facilitate.page_delete", "facilitate.page_edit", "facilitate.question_new",
        "facilitate.page_new", "facilitate.question_delete", "facilitate.question_edit",
        "workshop.manage_consultation", "themes.split") for m in ("GET", "POST")},
    **{(e, "POST"): EDIT for e in (
        "facilitate.status", "facilitate.page_move", "facilitate.question_move", "themes.index",
        "themes.evaluate", "themes.board_edit", "themes.retry", "themes.theme", "themes.waiting",
        "workshop.close", "workshop.new_pin")},
    ("workshop.manage_workshop", "GET"): EDIT,
    **{(e, m): EDIT for e in ("facilitate.copy", "facilitate.entry_new", "facilitate.entry_check",
                              "facilitate.publication_compose", "facilitate.welsh") for m in ("GET", "POST")},
    **{(e, "GET"): EDIT for e in ("facilitate.entry_list", "facilitate.publication_preview")},
    **{(e, "POST"): EDIT for e in ("facilitate.publication_publish", "facilitate.publication_unpublish")},
    ("facilitate.paper_pdf", "GET"): READ,
    ("facilitate.mail_outbox", "GET"): "admin", ("facilitate.mail_retry", "POST"): "admin",
    **{(e, m): "admin" for e in ("facilitate.users", "facilitate.audit", "facilitate.user_edit",
                                 "facilitate.user_password", "facilitate.user_new",
                                 "facilitate.withdraw_respondent") for m in ("GET", "POST")},
    ("facilitate.safeguarding_list", "GET"): "lead", ("facilitate.safeguarding_review", "POST"): "lead",
    ("facilitate.safeguarding_review_held", "POST"): "lead",
}
#: The formats of each route with a ``fmt`` argument (other than the definition export's).
FORMATS = {"facilitate.export_responses": ("csv", "xlsx")}
#: A download's file types, each of which must be found among the routes.
DOWNLOADS = {"csv", "xlsx", "json", "docx", "pdf", "yaml"}


def rules(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_a_policy(app):
    missing = [(r.endpoint, m, r.rule) for r, m in rules(app) if (r.endpoint, m) not in POLICY]
    assert not missing, f"Give these routes a policy in {__name__}: {missing}"


@pytest.fixture
def world(app, session):
    """A consultation with answers, a finished analysis, a workshop, and one account per role."""
    app.config["JOBS_INLINE"] = True
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD})
    consultation = demo_consultation(session)
    add_sample_responses(session, consultation, 40)
    session.commit()
    other = demo_consultation(session, slug="another-consultation")
    user(session, "viewer@example.nhs.uk", "viewer", (consultation,))
    user(session, "outsider@example.nhs.uk", "facilitator", (other,))
    facilitator = user(session, "fac@example.nhs.uk", "facilitator", (consultation,))
    user(session, "admin@example.nhs.uk", "admin")
    user(session, LEAD, "viewer")
    qids = [q.id for q in theme_runs.analysable_questions(session, consultation)]
    client = app.test_client()
    client.post("/account/sign-in", data={"email": "fac@example.nhs.uk", "password": PASSWORD})
    r = client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    assert r.status_code == 302, r.data[:500]
    session.expire_all()
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    workshop = make_workshop(session, consultation)
    values = {
        "slug": consultation.slug, "run_id": run.id, "workshop_id": workshop.id, "table": 1,
        "theme_id": session.exec(select(Theme.id).where(Theme.run_id == run.id)).first(),
        "code": workshop.join_code, "fmt": "yaml", "token": "not-a-token",
        "reference": session.exec(select(Respondent.reference)
                                  .where(Respondent.consultation_id == consultation.id)).first(),
        "user_id": facilitator.id,
        "number": session.exec(select(Respondent.id)
                               .where(Respondent.consultation_id == consultation.id)).first(),
        "answer_id": session.exec(select(Answer.id)).first(),
        "filename": "images/favicon.ico",
        "message_id": 999_999, "version": 1, "held_id": 999_999,
    }
    return consultation, values


def urls_for_rule(rule, method: str, values: dict, harmless: bool) -> list[str]:
    """URLs for ``rule`` with real objects, except (``harmless``) a POST by someone allowed to
    make it: sub-objects that do not exist, so nothing changes (they get 404 or 400). Each
    export format has its own URL."""
    if "fmt" in rule.arguments:
        formats = FORMATS.get(rule.endpoint, ("yaml", "json"))
        return [url_for_rule(rule, method, {**values, "fmt": fmt}, harmless) for fmt in formats]
    return [url_for_rule(rule, method, values, harmless)]


def url_for_rule(rule, method: str, values: dict, harmless: bool) -> str:
    args = {}
    harmless = harmless and method == "POST"
    for name in rule.arguments:
        if name == "key":
            if harmless and rule.endpoint not in ("participate.page", "workshop.check_page"):
                args[name] = "no-such-thing"
            elif "questions/<key>" in rule.rule:
                args[name] = "q-role"
            else:
                args[name] = "about-you"
        elif harmless and name in ("run_id", "theme_id", "user_id", "answer_id", "workshop_id", "number"):
            args[name] = 999_999
        elif name == "filename" and rule.endpoint == "static":
            args[name] = "css/engage.css"
        else:
            args[name] = values[name]
    path = rule.rule
    for name, value in args.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), path)
    return path


def signed_in(app, role: str, consultation):
    client = app.test_client()
    email = {"viewer": "viewer@example.nhs.uk", "facilitator without access": "outsider@example.nhs.uk",
             "facilitator": "fac@example.nhs.uk", "admin": "admin@example.nhs.uk",
             "safeguarding lead": LEAD}.get(role)
    if email:
        r = client.post("/account/sign-in", data={"email": email, "password": PASSWORD})
        assert r.status_code == 302
    elif role == "respondent":
        begin(client, consultation.slug)
    return client


def fingerprint(session) -> tuple:
    session.expire_all()
    return tuple(session.exec(select(func.count()).select_from(m)).one()
                 for m in (Consultation, Page, Question, Respondent, Answer, User, ConsultationAccess,
                           Theme, AnalysisRun, Workshop)) + \
        tuple(session.exec(select(User.role, User.password_hash, User.active).order_by(User.id)).all())


def outcome(response) -> str:
    if response.status_code == 302 and response.headers["Location"].startswith("/account/sign-in"):
        return "sign in"
    if response.status_code in (401, 403):
        return "refused"
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    return "allowed"


def test_every_route_for_every_role(app, session, world):
    consultation, values = world
    clients = {role: signed_in(app, role, consultation) for role in ROLES}
    before = fingerprint(session)
    wrong, downloads, anonymous = [], set(), {}
    for role, client in clients.items():  # the anonymous visitor first
        # Signing out last, so every other route is seen signed in.
        for rule, method in sorted(rules(app), key=lambda rm: rm[0].endpoint == "auth.logout"):
            policy = POLICY[(rule.endpoint, method)]
            want = expected(policy, role)
            for path in urls_for_rule(rule, method, values, harmless=want == "allowed"):
                if policy == "public":
                    # Open to all, and the same for all: signing in gives nothing more.
                    want = anonymous.get((method, path), "public")
                wrong.extend(check(client, role, rule, method, want, path, downloads, anonymous))
    assert not wrong, "\n".join(wrong)
    assert downloads == DOWNLOADS
    assert fingerprint(session) == before  # no refused (or empty) request changed anything


def expected(policy: str, role: str) -> str:
    if policy == "public":
        return "public"
    if policy == "kiosk":
        return "refused"
    if role in ALLOWED[policy]:
        return "allowed"
    return "sign in" if role in ("anonymous", "respondent") else "refused"


def check(client, role, rule, method, want, path, downloads, anonymous) -> list[str]:
    """What is wrong with the answer to one request (an empty list if nothing is)."""
    wrong = []
    response = client.get(path) if method == "GET" else client.post(path, data={})
    response.close()
    got = outcome(response)
    if want == "public":  # the anonymous visitor's outcome sets what everyone else must get
        anonymous[(method, path)] = want = got
        if got == "sign in":
            wrong.append(f"{role}: {method} {path} is public but asks to sign in")
    if got != want:
        wrong.append(f"{role}: {method} {path} -> {response.status_code} ({got}), expected {want}")
    cache = response.headers.get("Cache-Control", "")
    if rule.endpoint not in ("static", "main.nhs_assets", "workshop.service_worker") \
            and "no-store" not in cache:
        wrong.append(f"{role}: {method} {path} is cacheable ({cache!r})")
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        downloads.add(path.rsplit(".", 1)[-1])
        if cache != "no-store":
            wrong.append(f"{role}: download {path} says Cache-Control {cache!r}")
    return wrong


def test_production_sends_hsts_and_development_does_not(app):
    import secrets

    from engage import create_app

    production = create_app({**{k: app.config[k] for k in ("DATABASE_URL", "SERVER_NAME")},
                             "ENGAGE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                             "SESSION_COOKIE_SECURE": True})
    try:
        hsts = production.test_client().get("/health").headers.get("Strict-Transport-Security")
        assert hsts == "max-age=31536000; includeSubDomains"
    finally:
        production.extensions["engage.db"].dispose()
    assert "Strict-Transport-Security" not in app.test_client().get("/health").headers
