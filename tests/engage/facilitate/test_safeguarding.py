"""Possible safeguarding disclosures reach the named lead with the words as written, and no one else."""

from __future__ import annotations

import copy

from sqlmodel import select

from surveys import safeguarding
from surveys.models import Answer, AuditEvent, Respondent, SafeguardingReview, User, utcnow

from ...factories import demo_consultation
from ...journey_helpers import DEMO_ANSWERS, begin, complete
from ...query_plans import query_plan, statements_run
from ..auth.conftest import sign_in

DISCLOSURE = "My carer Mr Jones hit me again, please ring 07700 900456"


def _respond(app, session):
    consultation = demo_consultation(session)
    answers = copy.deepcopy(DEMO_ANSWERS)
    answers["people-and-ai"]["q-what-matters-most"] = DISCLOSURE
    reference = complete(app.test_client(), answers=answers)
    complete(app.test_client())  # an answer with no warning words
    return consultation, reference


def test_the_named_lead_reads_flagged_answers_as_written_and_each_viewing_is_audited(
        app, client, session, staff):
    consultation, reference = _respond(app, session)
    stored = session.exec(select(Answer).where(Answer.safeguarding.is_(True))).one()
    assert "07700" not in stored.text_redacted and "[phone number]" in stored.text_redacted
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    staff("Lead@Example.nhs.uk", "viewer")
    sign_in(client, "Lead@Example.nhs.uk")
    assert "Possible safeguarding concerns" in client.get("/manage/").get_data(as_text=True)
    html = client.get("/manage/safeguarding").get_data(as_text=True)
    person = session.exec(select(Respondent).where(Respondent.reference == reference)).one()
    assert DISCLOSURE in html and consultation.title.split(":")[0] in html
    assert f"Response {person.id} " in html and reference not in html
    assert "1 answer flagged" in html and "Call me on 07700 900123" not in html
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "safeguarding.view")).one()
    assert event.detail == {"answers": [stored.id]}


def test_everyone_else_is_refused_even_admins_and_sees_only_redacted_words(app, client, session, staff):
    consultation, _ = _respond(app, session)
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    assert client.get("/manage/safeguarding").status_code == 302  # to sign in
    staff("admin@example.nhs.uk", "admin")
    sign_in(client, "admin@example.nhs.uk")
    assert client.get("/manage/safeguarding").status_code == 403
    assert "Possible safeguarding concerns" not in client.get("/manage/").get_data(as_text=True)
    texts = client.get(f"/manage/c/{consultation.slug}/responses/text").get_data(as_text=True)
    assert "Flagged for the safeguarding lead" in texts
    assert "07700 900456" not in texts and "hit me again" in texts
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "safeguarding.view")).first() is None


def test_every_consent_page_says_what_happens_to_a_disclosure(app, client, session):
    consultation = demo_consultation(session)
    app.config["SAFEGUARDING_CONTACT"] = "the Trust safeguarding team on 0113 000 0000"
    html = client.get(f"/c/{consultation.slug}/consent").get_data(as_text=True)
    assert html.count("worried about someone") == 1  # the demo's own text no longer repeats it
    assert "safeguarding lead will read your words" in html
    assert "contact the Trust safeguarding team on 0113 000 0000" in html and "call 999" in html


def test_the_leads_page_reads_the_partial_index_not_every_answer(app, session):
    _respond(app, session)
    with statements_run(session) as statements:
        assert safeguarding.count_flagged(session) == 1
        assert len(safeguarding.flagged_answers(session, 0, 25)) == 1
    conn = session.connection()
    for statement, parameters in statements:
        plan = query_plan(conn, statement, parameters, avoid=("seqscan",))
        assert "ix_answer_safeguarding" in plan, plan


def test_the_lead_records_each_answer_as_dealt_with_and_a_later_change_brings_it_back(
        app, client, session, staff):
    _respond(app, session)
    answer = session.exec(select(Answer).where(Answer.safeguarding.is_(True))).one()
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    staff("lead@example.nhs.uk", "viewer")
    sign_in(client, "lead@example.nhs.uk")
    for bad in ({"outcome": "ignored"}, {}):
        assert client.post(f"/manage/safeguarding/{answer.id}", data=bad).status_code == 400
    assert client.post("/manage/safeguarding/999999", data={"outcome": "referred"}).status_code == 400
    assert session.exec(select(SafeguardingReview)).first() is None

    response = client.post(f"/manage/safeguarding/{answer.id}", data={"outcome": "referred"})
    assert response.status_code == 302
    waiting = client.get("/manage/safeguarding").get_data(as_text=True)
    assert DISCLOSURE not in waiting and "No answers are waiting" in waiting and "Dealt with (1)" in waiting
    done = client.get("/manage/safeguarding?show=dealt-with").get_data(as_text=True)
    assert DISCLOSURE in done and "Passed on under our safeguarding procedure: lead@example.nhs.uk" in done
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "safeguarding.review")).one()
    assert event.object_id == str(answer.id) and event.detail == {"outcome": "referred"}

    session.expire_all()
    answer = session.get(Answer, answer.id)
    answer.updated_at = utcnow()  # the person went back and changed it
    session.add(answer)
    session.commit()
    waiting = client.get("/manage/safeguarding").get_data(as_text=True)
    assert DISCLOSURE in waiting and "Changed by the person after it was dealt with" in waiting


def test_an_answer_saved_again_unchanged_stays_dealt_with_and_comes_back_only_when_rewritten(
        app, client, session, staff):
    demo_consultation(session)
    person = app.test_client()
    location = begin(person)
    while not location.split("?")[0].endswith("/people-and-ai"):
        page = location.rsplit("/p/", 1)[1].split("?")[0]
        location = person.post(location, data=DEMO_ANSWERS.get(page, {})).headers["Location"]
    page = location.split("?")[0]
    data = dict(DEMO_ANSWERS["people-and-ai"], **{"q-what-matters-most": DISCLOSURE})
    assert person.post(page, data=data).status_code == 302
    answer = session.exec(select(Answer).where(Answer.safeguarding.is_(True))).one()
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    staff("lead@example.nhs.uk", "viewer")
    sign_in(client, "lead@example.nhs.uk")
    assert client.post(f"/manage/safeguarding/{answer.id}", data={"outcome": "referred"}).status_code == 302

    # The person goes back through the page (from check answers, say) and continues as it was.
    assert person.post(f"{page}?change=1", data=data).status_code == 302
    waiting = client.get("/manage/safeguarding").get_data(as_text=True)
    assert "No answers are waiting" in waiting and "Changed by the person" not in waiting

    data["q-what-matters-most"] = DISCLOSURE + " and he says he will do it again"
    assert person.post(f"{page}?change=1", data=data).status_code == 302
    waiting = client.get("/manage/safeguarding").get_data(as_text=True)
    assert "he will do it again" in waiting and "Changed by the person after it was dealt with" in waiting


def test_no_one_else_can_record_a_review(app, client, session, staff):
    _respond(app, session)
    answer = session.exec(select(Answer).where(Answer.safeguarding.is_(True))).one()
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    staff("admin@example.nhs.uk", "admin")
    sign_in(client, "admin@example.nhs.uk")
    assert client.post(f"/manage/safeguarding/{answer.id}", data={"outcome": "no_action"}).status_code == 403
    assert session.exec(select(SafeguardingReview)).first() is None


def _on_record(session) -> tuple[str, str]:
    """The one decision recorded about the flagged answer, and whose it is."""
    session.expire_all()
    review = session.exec(select(SafeguardingReview)).one()
    return review.outcome, session.get(User, review.user_id).email


def test_a_decision_from_a_page_loaded_before_another_leads_is_refused_and_names_theirs(
        app, client, session, staff):
    _respond(app, session)
    answer = session.exec(select(Answer).where(Answer.safeguarding.is_(True))).one()
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead-a@example.nhs.uk", "lead-b@example.nhs.uk"})
    staff("lead-a@example.nhs.uk", "viewer")
    staff("lead-b@example.nhs.uk", "viewer")
    sign_in(client, "lead-a@example.nhs.uk")
    other = app.test_client()
    sign_in(other, "lead-b@example.nhs.uk")
    # Both leads have the page open with the answer waiting.
    assert DISCLOSURE in client.get("/manage/safeguarding").get_data(as_text=True)
    assert DISCLOSURE in other.get("/manage/safeguarding").get_data(as_text=True)

    assert client.post(f"/manage/safeguarding/{answer.id}", data={"outcome": "referred"}).status_code == 302
    for stale in ("no_action", "referred"):  # lead B's page, loaded before lead A decided
        response = other.post(f"/manage/safeguarding/{answer.id}", data={"outcome": stale},
                              follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "Your choice was not recorded: another lead had already dealt with this answer" in html
        assert "On record: passed on under our safeguarding procedure, by lead-a@example.nhs.uk, " in html
        assert "Recorded:" not in html
        assert _on_record(session) == ("referred", "lead-a@example.nhs.uk")
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "safeguarding.review")).all()) == 1

    # The person changes the answer: it is waiting again, and lead B's decision on it is recorded.
    answer = session.get(Answer, answer.id)
    answer.updated_at = utcnow()
    session.add(answer)
    session.commit()
    response = other.post(f"/manage/safeguarding/{answer.id}", data={"outcome": "no_action"},
                          follow_redirects=True)
    assert "Recorded: no action needed." in response.get_data(as_text=True)
    assert _on_record(session) == ("no_action", "lead-b@example.nhs.uk")
