"""A respondent's session cookie (engage/cookies.py) is sent again when it changed or once it is
``REFRESH_AFTER`` old, not on every page; it still carries the person's journey either way."""

from __future__ import annotations

from datetime import timedelta

from engage import cookies

from ...factories import demo_consultation

SLUG = "technology-in-the-nhs"


def _sets_cookie(response) -> bool:
    return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def test_an_unchanged_cookie_is_sent_again_only_once_it_is_old(app, session, monkeypatch):
    demo_consultation(session)
    person = app.test_client()
    consent = person.post(f"/c/{SLUG}/consent", data={"agree": "y"})
    assert consent.status_code == 302 and _sets_cookie(consent)  # the session changed: sent
    page = consent.headers["Location"]
    assert _sets_cookie(person.get(page))  # its first form puts a CSRF secret in the session
    again = person.get(page)
    assert again.status_code == 200 and not _sets_cookie(again)  # unchanged and new: not sent
    assert again.headers["Vary"] == "Cookie"
    assert person.get(page).status_code == 200  # the cookie it holds still works
    assert _sets_cookie(person.get(page + "?lang=cy"))  # the language is kept in it: changed, sent
    monkeypatch.setattr(cookies, "REFRESH_AFTER", timedelta(0))
    old = person.get(page)
    assert old.status_code == 200 and _sets_cookie(old)  # old enough: sent, with its expiry moved on
    assert "Expires=" in next(h for h in old.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_refresh_turned_off_sends_only_a_changed_cookie(app, session, monkeypatch):
    demo_consultation(session)
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    monkeypatch.setattr(cookies, "REFRESH_AFTER", timedelta(0))
    person = app.test_client()
    page = person.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    person.get(page)
    assert not _sets_cookie(person.get(page))
    other = app.test_client()
    other.set_cookie("session", "not-signed", domain="localhost")
    assert other.get(f"/c/{SLUG}/").status_code == 200  # a bad cookie is an empty session
