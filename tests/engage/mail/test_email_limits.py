"""Emails a respondent asks for (the receipt, the link to carry on, hearing the outcome) are limited
per response, per email address and per connection: past a limit the form says so on its field and
nothing is sent. A new address to hear the outcome replaces the one the same browser gave before."""

import pytest
from sqlmodel import select

from surveys.models import OutcomeSubscription

from ...factories import demo_consultation
from ...journey_helpers import SLUG, begin, complete
from ...smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)

TOO_MANY = "You have asked for too many emails. Try again in 1 hour."
PLENTY = (100, 3600)


@pytest.fixture
def mailing(app, session, smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    demo_consultation(session)
    return smtp_server


def limited(app, **limits):
    app.config["RATELIMIT_ENABLED"] = True
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "email_me": PLENTY, "email_to": PLENTY,
                                 "email_from": PLENTY, "outcome_address": PLENTY, **limits}


def refused(response, field_id: str = "email", said: str = TOO_MANY) -> bool:
    page = response.get_data(as_text=True)
    return (response.status_code == 429 and said in page
            and f'href="#{field_id}"' in page and f'id="{field_id}-error"' in page)


def test_receipts_for_one_response_are_limited(app, client, mailing):
    limited(app, email_me=(2, 3600))
    complete(client)
    for n in (1, 2):
        r = client.post(f"/c/{SLUG}/done/email", data={"email": f"person{n}@example.com"})
        assert r.status_code == 200 and "We are sending the email" in r.get_data(as_text=True)
    r = client.post(f"/c/{SLUG}/done/email", data={"email": "person3@example.com"})
    assert refused(r)
    assert 'value="person3@example.com"' in r.get_data(as_text=True)  # kept as typed
    assert len(mailing.messages) == 2 and mailing.to("person3@example.com") == []


def test_carry_on_links_for_one_response_are_limited(app, client, mailing):
    limited(app, email_me=(1, 3600))
    begin(client)
    assert client.post(f"/c/{SLUG}/save/email", data={"email": "a@example.com"}).status_code == 200
    assert refused(client.post(f"/c/{SLUG}/save/email", data={"email": "b@example.com"}))
    assert len(mailing.messages) == 1


def test_the_refusal_says_when_to_try_again_from_the_limits_setting(app, client, mailing):
    """It said "in an hour" whatever window a trust had set."""
    limited(app, email_me=(1, 600))
    begin(client)
    assert client.post(f"/c/{SLUG}/save/email", data={"email": "a@example.com"}).status_code == 200
    r = client.post(f"/c/{SLUG}/save/email", data={"email": "b@example.com"})
    assert refused(r, said="You have asked for too many emails. Try again in 10 minutes.")
    limited(app, email_me=(1, 600), email_to=(1, 7200))
    r = client.post(f"/c/{SLUG}/save/email", data={"email": "a@example.com"})
    assert refused(r, said="Try again in 2 hours.")  # the longest of the windows that refused


def test_emails_to_one_address_are_limited_whoever_asks(app, mailing):
    limited(app, email_to=(2, 3600))
    people = [app.test_client() for _ in range(3)]
    for person in people:
        begin(person)
    assert people[0].post(f"/c/{SLUG}/save/email", data={"email": "Target@example.com"}).status_code == 200
    assert people[1].post(f"/c/{SLUG}/save/email", data={"email": "target@example.com"}).status_code == 200
    assert refused(people[2].post(f"/c/{SLUG}/save/email", data={"email": "TARGET@example.com "}))
    # Another address is not held back by it.
    assert people[2].post(f"/c/{SLUG}/save/email", data={"email": "other@example.com"}).status_code == 200
    assert len(mailing.to("Target@example.com")) + len(mailing.to("target@example.com")) == 2


def test_emails_from_one_connection_are_limited(app, mailing):
    limited(app, email_from=(2, 3600))
    people = [app.test_client() for _ in range(3)]
    for person in people:
        begin(person)
    for n, person in enumerate(people[:2]):
        assert person.post(f"/c/{SLUG}/save/email", data={"email": f"p{n}@example.com"}).status_code == 200
    assert refused(people[2].post(f"/c/{SLUG}/save/email", data={"email": "p2@example.com"}))
    elsewhere = people[2].post(f"/c/{SLUG}/save/email", data={"email": "p2@example.com"},
                               environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 200
    assert len(mailing.messages) == 3


def test_outcome_addresses_replace_each_other_and_are_limited(app, client, session, mailing):
    limited(app, outcome_address=(3, 3600))
    other = app.test_client()
    complete(other)
    assert other.post(f"/c/{SLUG}/updates", data={"updates-email": "other@example.com",
                                                   "updates-agree": "y"}).status_code == 200
    complete(client)
    for address in ("first@example.com", "second@example.com", "third@example.com"):
        r = client.post(f"/c/{SLUG}/updates", data={"updates-email": address, "updates-agree": "y"})
        assert r.status_code == 200 and "We will email you once" in r.get_data(as_text=True)
    session.expire_all()
    # Each address this browser gave replaced the last; the other person's stays.
    assert sorted(s.email for s in session.exec(select(OutcomeSubscription))) == [
        "other@example.com", "third@example.com"]
    r = client.post(f"/c/{SLUG}/updates", data={"updates-email": "fourth@example.com", "updates-agree": "y"})
    assert refused(r, "updates-email")
    session.expire_all()
    assert sorted(s.email for s in session.exec(select(OutcomeSubscription))) == [
        "other@example.com", "third@example.com"]
