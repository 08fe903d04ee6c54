"""What each respondent page asks of the database, statement by statement, on SQLite and PostgreSQL.

Every request is a few statements, each for a reason: whether the kept consultation is current,
then the person with their answers in one read. A page shown changes nothing; a page sent writes
its answers and the person's place. These counts are the cheap pages' promise (issue #15): a
statement more on every page is a slower journey for everyone.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.factories import demo_consultation
from tests.journey_helpers import DEMO_ANSWERS, SLUG


@pytest.fixture
def demo(app, session):
    demo_consultation(session)
    return app


class _Seen(list):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []


@contextmanager
def statements(app):
    """The statements the app sends while the block runs, as (verb, first table named) pairs;
    ``seen.texts`` holds each statement's text."""
    seen: _Seen = _Seen()

    def note(_conn, _cursor, statement, *_args):
        words = statement.split()
        verb = words[0].upper()
        if verb not in {"SELECT", "INSERT", "UPDATE", "DELETE"} or statement.strip() == "SELECT 1":
            return  # PostgreSQL's pool checks a connection with "SELECT 1" before lending it
        table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+([a-z_]+)", statement, re.IGNORECASE)[1]
        seen.append((verb, table))
        seen.texts.append(" ".join(words))

    engine = app.extensions["engage.db"]
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_page_shown_reads_twice_and_a_page_sent_writes_only_what_changed(demo):
    person = demo.test_client()
    about = person.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    person.post(about, data=DEMO_ANSWERS["about-you"])
    page = about.replace("about-you", "first-view")
    with statements(demo) as shown:
        html = person.get(page).text
    assert 'name="q-connection-vs-speed-before"' in html
    assert shown == [("SELECT", "consultation"), ("SELECT", "respondent")]
    with statements(demo) as sent:
        r = person.post(page, data=DEMO_ANSWERS["first-view"])
    assert r.status_code == 302
    assert sent == [("SELECT", "consultation"), ("SELECT", "respondent"),
                    ("INSERT", "answer"), ("UPDATE", "respondent")]


def test_check_your_answers_reads_the_person_and_their_answers_at_once(demo):
    person = demo.test_client()
    about = person.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    person.post(about, data=DEMO_ANSWERS["about-you"])
    with statements(demo) as read:
        html = person.get(f"/c/{SLUG}/check").text
    assert "Check your answers" in html and "45 to 64" in html
    assert read == [("SELECT", "consultation"), ("SELECT", "respondent")]


def test_the_start_and_answers_sent_pages_read_whether_there_is_an_outcome_without_reading_it(demo):
    visitor = demo.test_client()
    visitor.get(f"/c/{SLUG}/")  # the consultation is read once, then kept while it is current
    with statements(demo) as read:
        assert "Start now" in visitor.get(f"/c/{SLUG}/").text
    assert read == [("SELECT", "consultation"), ("SELECT", "publication_version")]
    # Only whether there is one: not the page's words, charts or quotes.
    assert re.match(r"SELECT publication_version\.id FROM publication_version WHERE", read.texts[1])
