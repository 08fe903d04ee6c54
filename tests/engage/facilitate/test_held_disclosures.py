"""A flagged answer taken back before a lead dealt with it is kept for the leads alone, until they do.

The lead had been emailed that it needed reading, and the consent note promises they will read it;
it used to be deleted with the rest, so the lead found nothing.
"""

from __future__ import annotations

import copy
from pathlib import Path

from sqlmodel import func, select

from surveys.models import Answer, AuditEvent, HeldDisclosure, Respondent, SafeguardingReview

from ...journey_helpers import DEMO_ANSWERS, SLUG, complete
from ..auth.conftest import sign_in
from .test_safeguarding import DISCLOSURE, _respond

LEAD = "lead@example.nhs.uk"


def _held(session) -> int:
    return session.exec(select(func.count()).select_from(HeldDisclosure)).one()


def test_a_disclosure_taken_back_is_shown_to_the_lead_marked_and_to_no_one_else(app, client, session, staff):
    consultation, reference = _respond(app, session)
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD})
    taken_back = app.test_client().post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    assert "Your answers have been deleted" in taken_back.get_data(as_text=True)
    assert session.exec(select(Respondent.reference)).all() != [] and \
        reference not in session.exec(select(Respondent.reference)).all()
    assert session.exec(select(Answer).where(Answer.safeguarding.is_(True))).first() is None
    held = session.exec(select(HeldDisclosure)).one()
    assert held.text == DISCLOSURE and held.consultation_id == consultation.id
    # Nothing leads back to the person: no respondent, no reference code.
    assert not {"respondent_id", "reference"} & set(HeldDisclosure.__table__.columns.keys())

    staff(LEAD, "viewer")
    sign_in(client, LEAD)
    page = client.get("/manage/safeguarding").get_data(as_text=True)
    assert DISCLOSURE in page and "To deal with (1)" in page
    assert "The person has since taken their answers back. This is kept only until you record" in page
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "safeguarding.view")).one()
    assert event.detail == {"answers": [], "held": [held.id]}

    # Counts, exports and answer pages, even an admin's, have no trace of it.
    client.post("/account/sign-out")
    staff("admin@example.nhs.uk", "admin")
    sign_in(client, "admin@example.nhs.uk")
    assert client.get("/manage/safeguarding").status_code == 403
    for path in ("responses", "responses/text", "responses/all.csv"):
        response = client.get(f"/manage/c/{consultation.slug}/{path}")
        assert response.status_code == 200, path
        shown = response.get_data(as_text=True)
        assert "hit me again" not in shown and "Jones" not in shown, path
    counts = client.get(f"/manage/c/{consultation.slug}/responses").get_data(as_text=True)
    assert "<strong>1</strong> started, <strong>1</strong> completed" in counts


def test_recording_what_was_done_deletes_it_and_audits_without_the_words(app, client, session, staff):
    _, reference = _respond(app, session)
    app.test_client().post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    held = session.exec(select(HeldDisclosure)).one()
    held_id = held.id
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD})
    staff("admin@example.nhs.uk", "admin")
    sign_in(client, "admin@example.nhs.uk")
    settle = f"/manage/safeguarding/held/{held_id}"
    assert client.post(settle, data={"outcome": "referred"}).status_code == 403
    client.post("/account/sign-out")
    staff(LEAD, "viewer")
    sign_in(client, LEAD)
    assert client.post(f"/manage/safeguarding/held/{held.id}", data={"outcome": "ignored"}).status_code == 400
    assert _held(session) == 1

    response = client.post(f"/manage/safeguarding/held/{held.id}", data={"outcome": "referred"})
    assert response.status_code == 302
    session.expire_all()
    assert _held(session) == 0
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "safeguarding.review")).one()
    assert event.object_type == "held_disclosure" and event.object_id == str(held_id)
    assert event.detail["outcome"] == "referred" and "hit me" not in str(event.detail)
    page = client.get("/manage/safeguarding").get_data(as_text=True)
    assert DISCLOSURE not in page and "To deal with (0)" in page
    # A second click finds nothing to record.
    assert client.post(settle, data={"outcome": "referred"}).status_code == 400


def test_nothing_is_kept_when_a_lead_had_already_dealt_with_it(app, client, session, staff):
    _, reference = _respond(app, session)
    answer = session.exec(select(Answer).where(Answer.safeguarding.is_(True))).one()
    answers = copy.deepcopy(DEMO_ANSWERS)
    answers["people-and-ai"]["q-what-matters-most"] = other = "My dad hits me when he drinks"
    waiting = complete(app.test_client(), answers=answers)
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD})
    staff(LEAD, "viewer")
    sign_in(client, LEAD)
    assert client.post(f"/manage/safeguarding/{answer.id}", data={"outcome": "no_action"}).status_code == 302
    for code in (reference, waiting):
        app.test_client().post(f"/c/{SLUG}/withdraw/confirm", data={"reference": code})
    session.expire_all()
    # Only the one no lead had dealt with is held; the dealt-with one went with its review.
    assert session.exec(select(HeldDisclosure.text)).all() == [other]
    assert session.exec(select(SafeguardingReview)).first() is None
    page = client.get("/manage/safeguarding").get_data(as_text=True)
    assert DISCLOSURE not in page and other in page


def test_a_response_deleted_by_staff_keeps_its_waiting_disclosure_for_the_lead(app, client, session, staff):
    consultation, reference = _respond(app, session)
    person = session.exec(select(Respondent).where(Respondent.reference == reference)).one()
    staff("admin@example.nhs.uk", "admin")
    sign_in(client, "admin@example.nhs.uk")
    delete = f"/manage/c/{consultation.slug}/responses/r/{person.id}/withdraw"
    assert "kept for them alone until they have" in client.get(delete).get_data(as_text=True)
    response = client.post(delete, data={"reason": "They phoned and asked."})
    assert response.status_code == 302
    session.expire_all()
    assert session.exec(select(HeldDisclosure.text)).all() == [DISCLOSURE]


def test_only_the_safeguarding_page_and_the_operations_that_keep_or_purge_them_name_the_table():
    """Held words must never reach a count, export, analysis run, theme or outcome page: nothing
    else may read the table (a new reader has to be added here, on purpose)."""
    root = Path(__file__).resolve().parents[3]
    allowed = {"surveys/safeguarding.py", "surveys/retention.py", "surveys/models/__init__.py",
               "surveys/models/held_disclosure.py"}
    readers = {str(p.relative_to(root)) for folder in ("surveys", "engage", "analysis", "templates")
               for p in (root / folder).rglob("*") if p.suffix in {".py", ".html"}
               and "migrations" not in p.parts
               and ("HeldDisclosure" in (text := p.read_text(encoding="utf-8")) or "held_disclosure" in text)}
    assert readers <= allowed | {"engage/facilitate/views/safeguarding.py"}, readers - allowed
