"""An archived consultation keeps its answers until the retention date: people can still take them
back and read the outcome, as the done page and the receipt promised. Drafts stay hidden."""

import re

import pytest
from sqlmodel import func, select

from surveys import builder, publication
from surveys.models import Respondent

from ...factories import demo_consultation
from ...journey_helpers import SLUG, complete


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _archive(session, consultation) -> None:
    builder.set_status(session, consultation, "closed")
    builder.set_status(session, consultation, "archived")
    session.commit()


def _respondents(session) -> int:
    return session.exec(select(func.count()).select_from(Respondent)).one()


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def test_answers_can_be_taken_back_after_archiving(app, client, session, demo):
    reference = complete(client)
    other = complete(app.test_client())
    _archive(session, demo)
    person = app.test_client()
    start = person.get(f"/c/{SLUG}/")
    assert start.status_code == 200 and "This consultation has closed" in _text(start)
    assert f'href="/c/{SLUG}/withdraw"' in start.get_data(as_text=True)
    assert "Take back answers you have already sent" in _text(start)
    asked = person.get(f"/c/{SLUG}/withdraw")
    assert asked.status_code == 200 and 'name="reference"' in asked.get_data(as_text=True)
    seen = person.post(f"/c/{SLUG}/withdraw", data={"reference": reference})
    assert seen.status_code == 200 and "Are you sure you want to delete your answers?" in _text(seen)
    assert _respondents(session) == 2
    gone = person.post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    assert gone.status_code == 200 and "Your answers have been deleted" in _text(gone)
    session.expire_all()
    assert session.exec(select(Respondent.reference)).all() == [other]
    # A code never given: told so, not a missing page.
    unknown = person.post(f"/c/{SLUG}/withdraw", data={"reference": "ZZZZ-9999"})
    assert unknown.status_code == 400 and "could not find that reference code" in _text(unknown)
    # No tablet can still send answers: a stale "delete when it arrives" form goes back to the form.
    pending = person.post(f"/c/{SLUG}/withdraw/pending", data={"reference": "ZZZZ-9999"})
    assert pending.status_code == 302 and pending.headers["Location"].endswith(f"/c/{SLUG}/withdraw")


def test_the_outcome_page_stays_after_archiving(app, client, session, demo):
    complete(client)
    builder.set_status(session, demo, "closed")
    version = publication.save_draft(session, demo, None, heard="We heard you wanted shorter waits",
                                     will_do="We will open a Saturday clinic")
    publication.publish(session, demo, version)
    session.commit()
    builder.set_status(session, demo, "archived")
    session.commit()
    person = app.test_client()
    outcome = person.get(f"/c/{SLUG}/outcome")
    assert outcome.status_code == 200
    assert "We heard you wanted shorter waits" in _text(outcome)
    assert "We will open a Saturday clinic" in _text(outcome)
    start = person.get(f"/c/{SLUG}/")
    assert f'href="/c/{SLUG}/outcome"' in start.get_data(as_text=True)


def test_a_draft_set_aside_as_archived_stays_hidden(app, session, demo):
    demo.status, demo.opens_at, demo.closes_at = "draft", None, None
    session.add(demo)
    session.commit()
    person = app.test_client()
    for status in ("draft", "archived"):
        if status == "archived":
            builder.set_status(session, demo, "archived")
            session.commit()
        assert person.get(f"/c/{SLUG}/").status_code == 404
        assert person.get(f"/c/{SLUG}/withdraw").status_code == 404
        assert person.post(f"/c/{SLUG}/withdraw", data={"reference": "ZZZZ-9999"}).status_code == 404
        assert person.get(f"/c/{SLUG}/outcome").status_code == 404
