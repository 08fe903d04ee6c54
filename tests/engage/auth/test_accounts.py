"""Accounts: sign-in sessions that expire, password change, admin reset, lockout, CSRF."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import AuditEvent, ConsultationAccess, User

from ...factories import PASSWORD, demo_consultation
from .conftest import sign_in

NEW = "a much longer new password 42"


def events(session, action):
    session.expire_all()
    return session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_sign_in_makes_an_expiring_session_and_is_recorded(app, client, staff, session):
    u = staff()
    response = sign_in(client, u.email)
    assert response.headers["Location"] == "/manage/"
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None  # permanent: expires after the lifetime
    assert app.permanent_session_lifetime.total_seconds() == 480 * 60
    assert [e.user_id for e in events(session, "user.sign_in")] == [u.id]
    page = client.get("/manage/")
    assert "Your consultations" in page.get_data(as_text=True)


def test_next_only_redirects_on_site(client, staff):
    u = staff()
    r = client.post("/account/sign-in?next=//evil.example/x", data={"email": u.email, "password": PASSWORD})
    assert r.headers["Location"] == "/manage/"


def test_lockout_after_repeated_failures(app, client, staff, session):
    u = staff()
    for _ in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        r = client.post("/account/sign-in", data={"email": u.email, "password": "wrong password!!"})
        assert r.status_code == 400
    assert "locked" in r.get_data(as_text=True)
    # Even the right password is refused while locked, with the lockout message.
    r = client.post("/account/sign-in", data={"email": u.email, "password": PASSWORD})
    assert r.status_code == 400 and "Try again in 15 minutes" in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, u.id).locked_until is not None
    assert len(events(session, "user.locked")) == 1


def test_change_password_ends_other_sessions(app, client, staff, session):
    u = staff()
    other = app.test_client()
    sign_in(client, u.email)
    sign_in(other, u.email)
    r = client.post("/account/password", data={"current": "not it at all!", "new": NEW, "confirm": NEW})
    assert r.status_code == 400 and "Your current password is not right" in r.get_data(as_text=True)
    r = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW + "x"})
    assert r.status_code == 400 and "do not match" in r.get_data(as_text=True)
    r = client.post("/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"})
    assert r.status_code == 400 and "12 to 200 characters" in r.get_data(as_text=True)
    r = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert r.status_code == 302
    assert client.get("/manage/").status_code == 200  # this session carries on
    assert client.get("/manage/").status_code == 200
    assert other.get("/manage/").status_code == 302  # the other one has ended
    client.post("/account/sign-out", data={})
    sign_in(client, u.email, NEW)
    assert len(events(session, "user.password_changed")) == 1


def test_admin_creates_account_gives_access_and_resets_password(client, staff, session):
    admin = staff("admin@example.nhs.uk", "admin")
    consultation = demo_consultation(session)
    sign_in(client, admin.email)
    r = client.post("/manage/admin/users/new", data={"email": "New@Example.nhs.uk", "role": "viewer",
                                                     "password": "short", "name": "N"})
    assert r.status_code == 400 and "12 to 200 characters" in r.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "new@example.nhs.uk")).first() is None
    r = client.post("/manage/admin/users/new", data={"email": "New@Example.nhs.uk", "role": "viewer",
                                                     "password": PASSWORD, "name": "N"})
    assert r.status_code == 302
    new = session.exec(select(User).where(User.email == "new@example.nhs.uk")).one()
    assert new.role == "viewer"
    r = client.post(f"/manage/admin/users/{new.id}", data={"role": "viewer", "active": "y", "name": "N",
                                                           "consultations": [str(consultation.id)],
                                                           "consultations_shown": str(consultation.id)})
    assert r.status_code == 302
    assert session.get(ConsultationAccess, (new.id, consultation.id)) is not None
    # A viewer now sees that consultation (and only reads it).
    viewer = client.application.test_client()
    sign_in(viewer, new.email)
    assert consultation.title in viewer.get("/manage/").get_data(as_text=True)
    assert viewer.get(f"/manage/c/{consultation.slug}/settings").status_code == 403
    # Reset by the admin: the viewer's session ends and the new password works.
    r = client.post(f"/manage/admin/users/{new.id}/password", data={"password": NEW})
    assert r.status_code == 302
    assert viewer.get("/manage/").status_code == 302
    sign_in(viewer, new.email, NEW)
    actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]
    assert {"user.create", "user.update", "user.password_reset"} <= set(actions)


def test_admin_cannot_demote_themself(client, staff, session):
    admin = staff("admin@example.nhs.uk", "admin")
    sign_in(client, admin.email)
    r = client.post(f"/manage/admin/users/{admin.id}", data={"role": "viewer", "active": "y"})
    assert r.status_code == 400
    session.expire_all()
    assert session.get(User, admin.id).role == "admin"


def test_admin_pages_refuse_others(client, staff):
    u = staff()
    assert client.get("/manage/admin/users").status_code == 302  # anonymous: sign in first
    sign_in(client, u.email)
    for path in ("/manage/admin/users", "/manage/admin/audit", "/manage/admin/users/new",
                 f"/manage/admin/users/{u.id}", f"/manage/admin/users/{u.id}/password"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/manage/admin/users/{u.id}/password", data={"password": NEW}).status_code == 403


def test_post_without_csrf_token_is_refused(app, staff, session):
    app.config["WTF_CSRF_ENABLED"] = True
    u = staff()
    client = app.test_client()
    r = client.post("/account/sign-in", data={"email": u.email, "password": PASSWORD})
    assert r.status_code == 400 and "open too long" in r.get_data(as_text=True)
    session.expire_all()
    assert events(session, "user.sign_in") == []


def test_a_staff_form_refused_after_signing_out_says_so_in_staff_words(app, staff, session):
    """A facilitator signed out in another tab, then saved a theme's name: the page said "Your saved
    answers are safe", the words for a person answering a consultation."""
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    staff_page = client.post("/manage/c/any/pages/new", data={"title": "x"}).get_data(as_text=True)
    assert "you have been signed out" in staff_page and "Your saved answers are safe" not in staff_page
    respondent_page = client.post("/c/any/consent", data={"agree": "y"}).get_data(as_text=True)
    assert "Your saved answers are safe" in respondent_page and "signed out" not in respondent_page


def test_an_audit_page_past_the_end_shows_the_last_page(client, staff, session):
    """A huge page number once reached the database as an offset (out of range on PostgreSQL)."""
    admin = staff(role="admin")
    sign_in(client, admin.email)
    page = client.get("/manage/admin/audit?page=" + "9" * 30)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "user.sign_in" in text  # the last (here the only) page, not an empty one


def test_the_access_checkboxes_name_each_consultation_in_the_admins_language(client, staff, session):
    """An administrator working in Welsh read every consultation's English title, unmarked, in the
    list of consultations an account may see; now the Welsh title where the consultation gives one."""
    admin = staff("admin@example.nhs.uk", "admin")
    consultation = demo_consultation(session)
    sign_in(client, admin.email)
    client.get("/?lang=cy")
    page = client.get(f"/manage/admin/users/{admin.id}").get_data(as_text=True)
    client.get("/?lang=en")
    welsh = consultation.translations["cy"]["title"].replace("'", "&#39;")
    assert welsh in page and consultation.title not in page


def test_an_account_form_opened_before_a_copy_leaves_the_copys_access_alone(app, client, staff, session):
    from ..facilitate.test_stale_forms import opened

    consultation = demo_consultation(session)
    lead = staff("lead@example.nhs.uk", "facilitator", [consultation])
    sign_in(client, staff("admin@example.nhs.uk", "admin").email)
    url = f"/manage/admin/users/{lead.id}"
    stale = opened(client, url)
    facilitator = app.test_client()
    sign_in(facilitator, lead.email)
    copy = {"slug": "next-year", "title": "Next year"}
    r = facilitator.post(f"/manage/c/{consultation.slug}/copy", data=copy)
    assert r.status_code == 302
    assert client.post(url, data={**stale, "name": "Lead Facilitator"}).status_code == 302
    session.expire_all()
    assert session.get(User, lead.id).name == "Lead Facilitator"
    assert facilitator.get("/manage/c/next-year/").status_code == 200
    assert "access" not in events(session, "user.update")[-1].detail
    # What the form listed is still given and taken away: here the first one, unticked.
    fresh = opened(client, url)
    assert client.post(url, data={**fresh, "consultations": []}).status_code == 302
    assert facilitator.get(f"/manage/c/{consultation.slug}/").status_code == 403
    assert facilitator.get("/manage/c/next-year/").status_code == 403
    # A list of shown consultations that is not whole numbers is not our page's: refused.
    r = client.post(url, data={**fresh, "consultations_shown": "1,x"})
    assert r.status_code == 400
