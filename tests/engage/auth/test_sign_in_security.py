"""Signing in without leaks: no redirect off-site, no telling which accounts exist, sessions the
server can end, and unredacted words only for leads whose passwords no admin has set."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlmodel import select

from engage import cli
from surveys import accounts as users
from surveys.models import User, UserSession, utcnow

from ...factories import PASSWORD
from .conftest import sign_in

NEW = "a much longer new password 42"
LEAD = "lead@example.nhs.uk"


# --- Finding 4: open redirect ---------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "%09//evil.example",
    "/%5Cevil.example", "/%5C%5Cevil.example", "%5C%5Cevil.example", "//evil.example",
    "%20//evil.example", "/%20/evil.example", "/%E2%80%8B/evil.example", "/%00/evil.example",
    "https://evil.example/", "javascript:alert(1)", "https:evil.example", "evil.example",
])
def test_next_never_leads_off_site(client, staff, target):
    u = staff()
    r = client.post(f"/account/sign-in?next={target}", data={"email": u.email, "password": PASSWORD})
    assert r.status_code == 302
    assert r.headers["Location"] == "/manage/"


def test_next_keeps_a_path_on_this_site(client, staff):
    u = staff()
    r = client.post("/account/sign-in?next=/manage/admin/audit%3Fpage%3D2",
                    data={"email": u.email, "password": PASSWORD})
    assert r.headers["Location"] == "/manage/admin/audit?page=2"


# --- Finding 6: account enumeration ---------------------------------------------------------

@pytest.fixture
def hash_checks(monkeypatch):
    """How many password hashes each sign-in ran (the expensive step whose absence shows in
    the response time)."""
    calls = []
    real = users._hasher

    class Counting:
        def __getattr__(self, name):
            return getattr(real, name)

        def verify(self, hash_, password):
            calls.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(users, "_hasher", Counting())
    return calls


def test_an_unknown_account_costs_the_same_password_hash_as_a_real_one(client, staff, session,
                                                                          hash_checks):
    staff("real@example.nhs.uk")
    off = staff("off@example.nhs.uk")
    off.active = False
    session.add(off)
    session.commit()
    for email in ("real@example.nhs.uk", "nobody@example.nhs.uk", "off@example.nhs.uk"):
        hash_checks.clear()
        r = client.post("/account/sign-in", data={"email": email, "password": "not the password"})
        assert r.status_code == 400
        assert len(hash_checks) == 1, email


def test_the_unknown_account_hash_costs_what_a_new_password_hash_costs():
    """The hash an unknown account is checked against is written out in the code: it must carry the
    hasher's own settings (memory, passes, lanes), or an unknown email would cost less than a real
    one and timing would tell which accounts exist."""
    from argon2 import extract_parameters

    from surveys import accounts

    assert not accounts._hasher.check_needs_rehash(accounts.DUMMY_HASH)
    assert extract_parameters(accounts.DUMMY_HASH) == extract_parameters(accounts.hash_password("x" * 12))
    assert not accounts.verify_password(None, "no account has this password")


def _page(response, email):
    """The page with the email typed in, and each request's script nonce, left out."""
    return (response.status_code,
            re.sub(r'nonce="[^"]*"', "", response.get_data(as_text=True)).replace(email, "EMAIL"))


def test_an_unknown_account_locks_with_the_same_message_as_a_real_one(app, client, staff):
    staff("real@example.nhs.uk")
    pages = {}
    for email in ("real@example.nhs.uk", "nobody@example.nhs.uk"):
        seen = [_page(client.post("/account/sign-in", data={"email": email, "password": "not it at all"}),
                      email) for _ in range(app.config["LOGIN_MAX_ATTEMPTS"] + 2)]
        pages[email] = seen
    real, unknown = pages["real@example.nhs.uk"], pages["nobody@example.nhs.uk"]
    assert "locked" in real[-1][1] and "locked" in unknown[-1][1]
    assert real == unknown


# --- Finding 7: server-side sessions --------------------------------------------------------

def _cookie(client) -> str:
    return client.get_cookie("session", domain="localhost").value


def test_a_copied_cookie_stops_working_after_sign_out(app, client, staff):
    u = staff()
    sign_in(client, u.email)
    thief = app.test_client()
    thief.set_cookie("session", _cookie(client), domain="localhost")
    assert thief.get("/manage/").status_code == 200
    client.post("/account/sign-out", data={})
    r = thief.get("/manage/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/account/sign-in")


def test_the_cookie_holds_only_a_random_session_id_and_the_database_only_its_hash(app, client, staff,
                                                                                  session):
    u = staff()
    sign_in(client, u.email)
    data = SecureCookieSessionInterface().get_signing_serializer(app).loads(_cookie(client))
    token = data["_user_id"]
    assert len(token) >= 40 and str(u.id) != token and u.email not in str(data)
    row = session.exec(select(UserSession)).one()
    assert row.user_id == u.id and row.id == hashlib.sha256(token.encode()).hexdigest()


def test_password_change_and_admin_reset_end_every_session_of_the_account(app, client, staff, session):
    u = staff()
    admin = staff("admin@example.nhs.uk", "admin")
    other, admin_client = app.test_client(), app.test_client()
    sign_in(client, u.email)
    sign_in(other, u.email)
    copied = app.test_client()
    copied.set_cookie("session", _cookie(client), domain="localhost")
    r = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert r.status_code == 302
    assert client.get("/manage/").status_code == 200  # this browser carries on, in a new session
    assert other.get("/manage/").status_code == 302
    assert copied.get("/manage/").status_code == 302  # the old cookie of this browser too
    sign_in(admin_client, admin.email)
    r = admin_client.post(f"/manage/admin/users/{u.id}/password", data={"password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/manage/").status_code == 302
    session.expire_all()
    assert session.exec(select(UserSession).where(UserSession.user_id == u.id)).first() is None


def test_a_session_has_an_absolute_end_that_requests_do_not_extend(app, client, staff, session):
    u = staff()
    sign_in(client, u.email)
    row = session.exec(select(UserSession)).one()
    lifetime = app.permanent_session_lifetime
    assert row.expires_at - row.created_at == lifetime
    # Busy right up to the end: each request is within the idle timeout, none extends the end.
    row.created_at = utcnow() - lifetime + timedelta(seconds=60)
    row.last_seen_at = utcnow() - timedelta(seconds=61)
    row.expires_at = utcnow() + timedelta(seconds=60)
    session.add(row)
    session.commit()
    assert client.get("/manage/").status_code == 200
    session.expire_all()
    seen = session.get(UserSession, row.id)
    assert seen.last_seen_at > utcnow() - timedelta(seconds=30)  # the request was seen
    assert seen.expires_at == row.expires_at  # and did not move the end
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert client.get("/manage/").status_code == 302
    assert session.exec(select(UserSession)).first() is None  # ended, not just refused


def test_a_session_ends_after_the_idle_timeout(app, client, staff, session):
    u = staff()
    sign_in(client, u.email)
    row = session.exec(select(UserSession)).one()
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    row.last_seen_at = utcnow() - idle + timedelta(seconds=5)
    session.add(row)
    session.commit()
    assert client.get("/manage/").status_code == 200  # within the timeout: carries on, and is seen
    session.expire_all()
    assert session.get(UserSession, row.id).last_seen_at > utcnow() - timedelta(seconds=60)
    row = session.get(UserSession, row.id)
    row.last_seen_at = utcnow() - idle - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert client.get("/manage/").status_code == 302


def test_a_turned_off_account_loses_its_sessions(app, client, staff, session):
    u = staff()
    sign_in(client, u.email)
    u = session.get(User, u.id)
    u.active = False
    session.add(u)
    session.commit()
    assert client.get("/manage/").status_code == 302


# --- Finding 3: unredacted words stay with the people named for them ------------------------

@pytest.fixture
def leads(app):
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD, "later@example.nhs.uk"})


def _admin_client(app, staff):
    staff("admin@example.nhs.uk", "admin")
    admin = app.test_client()
    sign_in(admin, "admin@example.nhs.uk")
    return admin


def test_an_admin_cannot_reset_a_leads_password_in_the_web_interface(app, client, staff, session, leads):
    lead = staff(LEAD, "viewer")
    admin = _admin_client(app, staff)
    for method in (admin.get, admin.post):
        r = method(f"/manage/admin/users/{lead.id}/password", data={"password": "the admin knows this"})
        assert r.status_code == 403
        assert "engage users reset-password lead@example.nhs.uk" in r.get_data(as_text=True)
    session.expire_all()
    assert users.verify_password(session.get(User, lead.id).password_hash, PASSWORD)
    r = client.post("/account/sign-in", data={"email": LEAD, "password": "the admin knows this"})
    assert r.status_code == 400


def test_an_admin_cannot_create_a_leads_account_in_the_web_interface(app, staff, session, leads):
    admin = _admin_client(app, staff)
    r = admin.post("/manage/admin/users/new", data={"email": "Lead@Example.nhs.uk", "role": "viewer",
                                                    "password": "the admin knows this"})
    assert r.status_code == 400
    assert "engage users create lead@example.nhs.uk" in r.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == LEAD)).first() is None


def test_an_account_whose_password_an_admin_set_never_reads_unredacted_words(app, client, staff,
                                                                               session, leads):
    """An admin makes an account (or resets one) before its owner is named a lead: whoever
    knows the password must not read as the lead, not even after a role change or the
    account holder changing the password, until the server's operator sets it."""
    admin = _admin_client(app, staff)
    r = admin.post("/manage/admin/users/new", data={"email": "early@example.nhs.uk", "role": "viewer",
                                                    "password": "the admin knows this"})
    assert r.status_code == 302
    early = session.exec(select(User).where(User.email == "early@example.nhs.uk")).one()
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD, "early@example.nhs.uk"})
    r = admin.post(f"/manage/admin/users/{early.id}", data={"role": "admin", "active": "y"})
    assert r.status_code == 302
    sign_in(client, "early@example.nhs.uk", "the admin knows this")
    assert client.get("/manage/safeguarding").status_code == 403
    r = client.post("/account/password", data={"current": "the admin knows this", "new": NEW,
                                               "confirm": NEW})
    assert r.status_code == 302
    assert client.get("/manage/safeguarding").status_code == 403
    # The operator sets the password on the server: now the named lead reads what they are for.
    result = app.test_cli_runner().invoke(cli.main, ["users", "reset-password", "early@example.nhs.uk",
                                                     "--password", "only the lead knows this"])
    assert result.exit_code == 0, result.output
    assert client.get("/manage/safeguarding").status_code == 302  # its sessions ended
    sign_in(client, "early@example.nhs.uk", "only the lead knows this")
    assert client.get("/manage/safeguarding").status_code == 200


def test_leads_are_created_and_reset_from_the_command_line(app, client, session, leads):
    runner = app.test_cli_runner()
    r = runner.invoke(cli.main, ["users", "create", LEAD, "--role", "viewer", "--password",
                                 "the lead's own password"])
    assert r.exit_code == 0, r.output
    sign_in(client, LEAD, "the lead's own password")
    assert client.get("/manage/safeguarding").status_code == 200
    r = runner.invoke(cli.main, ["users", "reset-password", LEAD, "--generate"])
    assert r.exit_code == 0 and "Reset the password for lead@example.nhs.uk to " in r.output
    assert client.get("/manage/safeguarding").status_code == 302
    r = runner.invoke(cli.main, ["users", "reset-password", "nobody@example.nhs.uk", "--password", "x" * 12])
    assert r.exit_code != 0 and "There is no account for nobody@example.nhs.uk" in r.output


def test_the_daily_purge_clears_ended_sessions_of_accounts_that_never_come_back(app, staff, session,
                                                                                runner):
    gone, idle, live = staff("gone@example.nhs.uk"), staff("idle@example.nhs.uk"), staff()
    for who in (gone, idle, live):
        sign_in(app.test_client(), who.email)
    rows = {r.user_id: r for r in session.exec(select(UserSession))}
    rows[gone.id].expires_at = utcnow() - timedelta(seconds=1)
    rows[idle.id].last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    session.add_all(rows.values())
    session.commit()
    result = runner.invoke(cli.main, ["purge"])
    assert "Deleted 2 staff sign-in sessions that had ended." in result.output, result.output
    session.expire_all()
    assert [r.user_id for r in session.exec(select(UserSession))] == [live.id]
