"""With PUBLIC_URL set, as the deploy section tells a trust to, every email, and every link a
person takes away (to carry on, a tablet's), is to it, with its path prefix; and sending an email
never ends the request's database work: a flagged answer is saved, a receipt is sent and an
outcome is published, on both databases."""

import re

import pytest
from sqlmodel import func, select

from surveys.models import OutboxMessage, Question, Respondent

from ...factories import PASSWORD, demo_consultation, signed_in_lead_with_answers, user
from ...journey_helpers import DEMO_ANSWERS, SLUG, begin, complete
from ...smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)

PUBLIC = "https://engage.example.nhs.uk/listening"


@pytest.fixture
def mailing(app, smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    app.config["PUBLIC_URL"] = PUBLIC
    return smtp_server


def submitted(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Respondent)
                        .where(Respondent.submitted_at.is_not(None))).one()


def test_a_flagged_answer_is_saved_and_the_leads_told_with_the_public_address(app, client, session, mailing):
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    demo_consultation(session)
    answers = {k: dict(v) for k, v in DEMO_ANSWERS.items()}
    answers["technology-budget"]["q-fix-one-thing"] = "My carer hit me and I am frightened at home"
    reference = complete(client, answers=answers)
    assert reference and submitted(session) == 1
    [message] = mailing.to("lead@example.nhs.uk")
    assert f"{PUBLIC}/manage/safeguarding" in message["body"]


def test_a_receipt_links_to_the_public_address(client, session, mailing):
    demo_consultation(session)
    reference = complete(client)
    r = client.post(f"/c/{SLUG}/done/email", data={"email": "person@example.com"})
    assert r.status_code == 200 and "We are sending" in r.get_data(as_text=True)
    [message] = mailing.to("person@example.com")
    assert reference in message["body"] and f"{PUBLIC}/c/{SLUG}/withdraw" in message["body"]
    # The request carried on after the email: the next page still reads the database.
    assert client.get(f"/c/{SLUG}/done").status_code == 200


def test_publishing_the_outcome_publishes_it_and_emails_the_public_address(app, client, session, mailing):
    signed_in_lead_with_answers(app, session, client, 30)
    person = app.test_client()
    complete(person)
    r = person.post(f"/c/{SLUG}/updates", data={"updates-email": "hear@example.org", "updates-agree": "y"})
    assert r.status_code == 200
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text"))]
    client.post(f"/manage/{SLUG}/themes/", data={"questions": qids})
    composed = {"heard": "We heard about parking", "will_do": "Fix it"}
    client.post(f"/manage/c/{SLUG}/publication/", data=composed)
    r = client.post(f"/manage/c/{SLUG}/publication/1/publish", follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Published version 1" in page and f"{PUBLIC}/c/{SLUG}/outcome" in page
    assert "We heard about parking" in person.get(f"/c/{SLUG}/outcome").get_data(as_text=True)
    [message] = mailing.to("hear@example.org")
    assert re.search(rf"{re.escape(PUBLIC)}/c/{SLUG}/outcome\b", message["body"])
    session.expire_all()
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_the_link_to_carry_on_is_to_the_public_address_on_the_page_and_in_the_email(client, session, mailing):
    demo_consultation(session)
    begin(client)
    page = client.get(f"/c/{SLUG}/save").get_data(as_text=True)
    link = re.search(r'id="resume-link">([^<]+)<', page).group(1)
    assert link.startswith(f"{PUBLIC}/c/{SLUG}/resume/")
    r = client.post(f"/c/{SLUG}/save/email", data={"email": "person@example.com"})
    assert r.status_code == 200
    [message] = mailing.to("person@example.com")
    assert link in message["body"]


def test_a_workshops_table_links_are_to_the_public_address(app, client, session, mailing):
    from ..workshop.helpers import make_workshop

    consultation = demo_consultation(session)
    workshop = make_workshop(session, consultation, tables=2)
    user(session, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    page = client.get(f"/workshop/manage/w/{workshop.id}/").get_data(as_text=True)
    links = set(re.findall(r"[a-z]+://[^\s<\"]+/workshop/[^\s<\"]*", page))
    code = workshop.join_code
    assert links == {f"{PUBLIC}/workshop/", f"{PUBLIC}/workshop/k/{code}/1", f"{PUBLIC}/workshop/k/{code}/2"}
