"""An address left to hear the outcome: a separate consent, never in any view or export, emailed
once when the results are published and then gone."""

import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from engage.cli import main
from surveys.models import (
    AuditEvent,
    OutboxMessage,
    OutcomeSubscription,
    PublicationVersion,
    Question,
    Respondent,
    utcnow,
)

from ...factories import demo_consultation, signed_in_lead_with_answers
from ...journey_helpers import SLUG, complete
from ...smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)
from ..auth.conftest import sign_in

ADDRESS = "hear.the.outcome@example.org"


@pytest.fixture
def mailing(app, smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    return smtp_server


def test_address_is_apart_from_answers_never_shown_and_gone_after_the_outcome(app, client, session, mailing):
    person = app.test_client()
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    complete(person)
    done = person.get(f"/c/{SLUG}/done").get_data(as_text=True)
    assert "Hear what happens next" in done and "apart from your answers" in done
    r = person.post(f"/c/{SLUG}/updates", data={"updates-email": ADDRESS})
    assert r.status_code == 400 and "Tick the box" in r.get_data(as_text=True)  # consent is its own choice
    r = person.post(f"/c/{SLUG}/updates", data={"updates-email": ADDRESS, "updates-agree": "y"})
    assert r.status_code == 200 and "We will email you once" in r.get_data(as_text=True)
    stored = session.exec(select(OutcomeSubscription)).one()
    assert stored.email == ADDRESS
    # Nothing in the row can be joined to a response: no respondent, no time, a random key (and
    # the language the person asked in, so the email is in it).
    assert set(OutcomeSubscription.model_fields) == {"id", "consultation_id", "email", "language"}
    assert stored.language == "en"
    assert not stored.id.isdigit()

    number = session.exec(select(Respondent).where(Respondent.submitted_at.is_not(None))
                          .order_by(Respondent.id.desc())).first().id
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text"))]
    client.post(f"/manage/{SLUG}/themes/", data={"questions": qids})
    listing = client.get(f"/manage/{SLUG}/themes/").get_data(as_text=True)
    run_id = re.search(r"/themes/(\d+)", listing).group(1)
    pages = ["/manage/", f"/manage/c/{SLUG}/", f"/manage/c/{SLUG}/responses",
             f"/manage/c/{SLUG}/responses/text", f"/manage/c/{SLUG}/responses/all.csv",
             f"/manage/c/{SLUG}/responses/r/{number}", f"/manage/c/{SLUG}/export.yaml",
             f"/manage/c/{SLUG}/export.json", f"/manage/{SLUG}/themes/{run_id}",
             f"/manage/{SLUG}/themes/{run_id}/answers.csv", f"/manage/{SLUG}/themes/{run_id}/analysis.json",
             f"/manage/{SLUG}/themes/{run_id}/answers.xlsx", f"/manage/{SLUG}/themes/{run_id}/report.docx",
             f"/manage/{SLUG}/themes/{run_id}/report.pdf"]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        assert ADDRESS.encode() not in r.data and b"hear.the.outcome" not in r.data, url

    page = client.get(f"/manage/c/{SLUG}/publication/").get_data(as_text=True)
    assert page  # composing needs no address either
    client.post(f"/manage/c/{SLUG}/publication/", data={"heard": "Heard", "will_do": "Will do"})
    r = client.post(f"/manage/c/{SLUG}/publication/1/publish")
    assert r.status_code == 302
    [message] = mailing.to(ADDRESS)
    assert f"/c/{consultation.slug}/outcome" in message["body"]
    assert "deleted your email address" in message["body"]
    assert session.exec(select(func.count()).select_from(OutcomeSubscription)).one() == 0
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0
    # Once published, the form is no longer offered.
    assert "Hear what happens next" not in person.get(f"/c/{SLUG}/done").get_data(as_text=True)


def test_no_address_is_asked_for_without_email(client, session):
    demo_consultation(session)
    complete(client)
    assert "Hear what happens next" not in client.get(f"/c/{SLUG}/done").get_data(as_text=True)
    left = client.post(f"/c/{SLUG}/updates", data={"updates-email": ADDRESS, "updates-agree": "y"})
    assert left.status_code == 404
    assert session.exec(select(func.count()).select_from(OutcomeSubscription)).one() == 0


def test_addresses_are_deleted_at_the_retention_date(app, session, runner, mailing):
    consultation = demo_consultation(session, status="closed")
    consultation.closes_at = utcnow() - timedelta(days=consultation.retention_days + 1)
    session.add(consultation)
    session.add(OutcomeSubscription(consultation_id=consultation.id, email=ADDRESS))
    session.commit()
    result = runner.invoke(main, ["purge"])
    assert "Deleted 1 email addresses" in result.output, result.output
    assert session.exec(select(func.count()).select_from(OutcomeSubscription)).one() == 0


def test_addresses_go_at_retention_by_the_same_rule_as_responses(session, runner):
    """A consultation closed without a closing date counts from its last change, as for responses;
    one still within its period keeps its addresses."""
    ended = demo_consultation(session, status="closed")
    ended.closes_at = None
    ended.updated_at = utcnow() - timedelta(days=ended.retention_days + 1)
    session.add(ended)
    recent = demo_consultation(session, slug="still-kept", status="closed")
    recent.closes_at = utcnow() - timedelta(days=1)
    session.add(recent)
    session.add(OutcomeSubscription(consultation_id=ended.id, email=ADDRESS))
    session.add(OutcomeSubscription(consultation_id=recent.id, email="keep@example.com"))
    session.commit()
    result = runner.invoke(main, ["purge"])
    assert "Deleted 1 email addresses" in result.output, result.output
    session.expire_all()
    assert session.exec(select(OutcomeSubscription.email)).all() == ["keep@example.com"]


def test_an_address_left_twice_in_other_capitals_is_kept_once(app, session, mailing):
    demo_consultation(session)
    person = app.test_client()
    complete(person)
    for address, language in ((ADDRESS.upper(), "en"), (ADDRESS, "cy")):
        r = person.post(f"/c/{SLUG}/updates?lang={language}",
                        data={"updates-email": address, "updates-agree": "y"})
        assert r.status_code == 200, r.get_data(as_text=True)[:500]
    stored = session.exec(select(OutcomeSubscription)).all()
    assert len(stored) == 1


def test_taking_answers_back_deletes_the_address_left_from_the_same_browser(app, session, mailing):
    """The address was kept after the person took their answers back, and they were emailed the
    outcome of a consultation they had left. The browser that sent the answers and left the
    address knows both: the address now goes with the answers. Another person's stays."""
    demo_consultation(session)
    person, other = app.test_client(), app.test_client()
    for browser, address in ((person, ADDRESS), (other, "someone.else@example.org")):
        reference = complete(browser)
        r = browser.post(f"/c/{SLUG}/updates", data={"updates-email": address, "updates-agree": "y"})
        assert r.status_code == 200
    reference = complete(person)  # (a second response from the same browser replaces what it holds)
    person.post(f"/c/{SLUG}/updates", data={"updates-email": ADDRESS, "updates-agree": "y"})
    r = person.post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    page = r.get_data(as_text=True)
    assert "Your answers have been deleted" in page
    assert "We have also deleted the email address you left to hear what happens next" in page
    session.expire_all()
    assert [s.email for s in session.exec(select(OutcomeSubscription))] == ["someone.else@example.org"]


def test_the_outcome_of_a_draft_consultation_is_not_published_nor_emailed(client, session, staff, mailing):
    """A draft has no public page: publishing would email a link that leads nowhere."""
    consultation = demo_consultation(session, status="draft")
    session.add(OutcomeSubscription(consultation_id=consultation.id, email=ADDRESS, language="en"))
    session.commit()
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.post(f"/manage/c/{SLUG}/publication/", data={"heard": "Heard", "will_do": "Will do"})
    assert r.status_code == 302
    r = client.post(f"/manage/c/{SLUG}/publication/1/publish", follow_redirects=True)
    session.expire_all()
    assert session.exec(select(PublicationVersion)).one().status == "draft"
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0
    assert session.exec(select(func.count()).select_from(OutcomeSubscription)).one() == 1
    assert client.get(f"/c/{SLUG}/outcome").status_code == 404
    assert mailing.to(ADDRESS) == []
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "publication.publish")).all()
    assert events == []
    assert "still a draft" in r.get_data(as_text=True) and "nobody was emailed" in r.get_data(as_text=True)
