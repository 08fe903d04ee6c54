"""What is signed once and read again: a session's CSRF token is signed at most once a minute
(engage/forms.py), and what a session cookie says is read once and kept (engage/cookies.py). Both
keep the rules of signing them every time: a token handed out is never more than a minute old,
each person has their own, an old cookie still runs out, and nothing a request does to its own
session reaches the next request with the same cookie. Run on SQLite and PostgreSQL, with CSRF
checks on as served."""

from __future__ import annotations

import time

import pytest
from flask import session as flask_session
from itsdangerous import URLSafeTimedSerializer

from tests.factories import demo_consultation
from tests.journey_helpers import CSRF_TOKEN, SLUG, consented

#: A minute's start on the clock the tests set (a multiple of 60).
MINUTE = 1_800_000_000


@pytest.fixture
def clock(monkeypatch):
    """The time every part of the app reads (itsdangerous signs with it), set by the test."""
    now = [float(MINUTE)]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


@pytest.fixture
def demo(app, session):
    demo_consultation(session)
    app.config["WTF_CSRF_ENABLED"] = True
    return app




def _signed_at(app, token: str) -> int:
    serializer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    return int(serializer.loads(token, return_timestamp=True)[1].timestamp())


def test_a_token_is_signed_again_each_minute_and_never_handed_out_older(demo, clock):
    clock[0] = MINUTE + 1
    person, page = consented(demo)
    first = CSRF_TOKEN.search(person.get(page).text)[1]
    clock[0] = MINUTE + 59
    assert CSRF_TOKEN.search(person.get(page).text)[1] == first  # the same minute: the same token
    assert _signed_at(demo, first) == MINUTE + 1
    clock[0] = MINUTE + 61
    later = CSRF_TOKEN.search(person.get(page).text)[1]
    assert later != first and _signed_at(demo, later) == MINUTE + 61  # a new minute: signed now
    answers = {"q-role": "patient", "q-age-band": "45-to-64"}
    assert person.post(page, data={**answers, "csrf_token": first}).status_code == 302  # both valid
    assert person.post(page, data={**answers, "csrf_token": later}).status_code == 302
    other, _ = consented(demo)
    assert CSRF_TOKEN.search(other.get(page).text)[1] != later  # the same minute, another person
    assert other.post(page, data={**answers, "csrf_token": later}).status_code == 400


def test_a_reused_token_runs_out_as_a_fresh_one_does(demo, clock):
    demo.config["WTF_CSRF_TIME_LIMIT"] = 3600
    person, page = consented(demo)
    token = CSRF_TOKEN.search(person.get(page).text)[1]
    clock[0] = MINUTE + 3601
    answers = {"q-role": "patient", "q-age-band": "45-to-64"}
    assert person.post(page, data={**answers, "csrf_token": token}).status_code == 400


def test_a_cookie_read_before_still_runs_out(demo, clock):
    person, page = consented(demo)
    assert person.get(page).status_code == 200  # read, and kept
    lifetime = int(demo.permanent_session_lifetime.total_seconds())
    clock[0] = MINUTE + lifetime + 1
    ended = person.get(page)  # the page saying their session ended, not the question
    assert ended.status_code == 400 and 'name="q-role"' not in ended.text
    clock[0] = MINUTE - 10  # a cookie signed "later" than now is refused too, as itsdangerous does
    early = person.get(page)
    assert early.status_code == 400 and 'name="q-role"' not in early.text


def test_a_request_changing_its_session_in_place_leaves_the_next_one_as_the_cookie_says(demo):
    @demo.get("/test-only/meddle")
    def meddle():
        # In place, without saying the session changed: no new cookie is sent.
        flask_session["responses"][SLUG]["id"] = "someone-else"
        return "meddled"

    person, page = consented(demo)
    assert person.get(page).status_code == 200
    assert person.get("/test-only/meddle").text == "meddled"
    again = person.get(page)
    assert again.status_code == 200 and 'name="q-role"' in again.text  # still their own response
