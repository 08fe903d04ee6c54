"""After sending: the back button, or a second tab still on a question page, leads to "answers
sent", not to "we could not find your answers"; and no one using the browser next can see or
change the answers that were sent."""

import pytest
from sqlmodel import func, select

from surveys.models import Answer, Respondent

from ...factories import demo_consultation
from ...journey_helpers import DEMO_ANSWERS, SLUG, begin, complete

SENT_ANSWER = "I want a person to talk to"  # typed on first-view by complete()


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def snapshot(session):
    session.expire_all()
    return sorted((a.respondent_id, a.question_id, repr(a.value), a.text)
                  for a in session.exec(select(Answer)))


@pytest.mark.parametrize("path", ["p/first-view", "p/about-you?change=1", "check", "continue", "save"])
def test_going_back_after_sending_leads_to_the_answers_sent_page(client, session, demo, path):
    reference = complete(client)
    response = client.get(f"/c/{SLUG}/{path}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/c/{SLUG}/done")
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert reference in done and SENT_ANSWER not in done


@pytest.mark.parametrize("data", [DEMO_ANSWERS["first-view"],
                                  {**DEMO_ANSWERS["first-view"], "save-for-later": "1"}])
def test_continue_in_a_second_tab_after_sending_changes_nothing_and_says_so(client, session, demo, data):
    reference = complete(client)
    before = snapshot(session)
    response = client.post(f"/c/{SLUG}/p/first-view", data={**data, "q-connection-vs-speed-before": "3"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/c/{SLUG}/done")
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert reference in done
    assert "You have already sent your answers, so nothing you changed afterwards was saved." in done
    assert snapshot(session) == before


def test_the_next_person_on_the_same_browser_starts_afresh(client, session, demo):
    complete(client)
    first = snapshot(session)
    begin(client)  # the next person agrees and starts
    page = client.get(f"/c/{SLUG}/p/first-view").get_data(as_text=True)
    assert SENT_ANSWER not in page
    response = client.post(f"/c/{SLUG}/p/first-view", data={"q-connection-vs-speed-before": "3"})
    assert response.status_code == 302
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 2
    sent = {row for row in snapshot(session) if row[0] == first[0][0]}
    assert sent == set(first)  # the first person's answers are as they sent them


def test_the_next_person_never_sees_the_reference_code_of_the_one_before(client, demo):
    """The sent page went on showing the first person's code to the next one on a shared browser,
    and a code lets its holder take those answers back."""
    reference = complete(client)
    assert reference in client.get(f"/c/{SLUG}/done").get_data(as_text=True)
    begin(client)  # the next person agrees and starts
    done = client.get(f"/c/{SLUG}/done")
    assert reference not in done.get_data(as_text=True)
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/c/{SLUG}/")
    assert reference not in client.get(f"/c/{SLUG}/", follow_redirects=True).get_data(as_text=True)


def test_a_browser_that_never_sent_anything_is_told_its_answers_cannot_be_found(client, demo):
    response = client.get(f"/c/{SLUG}/p/first-view")
    assert response.status_code == 400
    assert "We could not find your answers in this browser" in response.get_data(as_text=True)


def test_a_browser_that_had_the_link_to_carry_on_is_told_the_answers_were_sent(client, app, session, demo):
    begin(client)
    save = client.get(f"/c/{SLUG}/save").get_data(as_text=True)
    link = save.split('id="resume-link">')[1].split("<")[0].replace("http://localhost", "")
    other = app.test_client()  # a phone, carrying on with the link
    other.get(link)
    # The first browser finishes and sends.
    location = f"/c/{SLUG}/p/about-you"
    while "/p/" in location:
        key = location.rsplit("/p/", 1)[1].split("?")[0]
        location = client.post(location, data=DEMO_ANSWERS.get(key, {})).headers["Location"]
    client.post(f"/c/{SLUG}/submit")
    reference = session.exec(select(Respondent)).one().reference
    response = other.get(f"/c/{SLUG}/p/first-view")
    assert response.headers["Location"].endswith(f"/c/{SLUG}/done")
    assert reference in other.get(f"/c/{SLUG}/done").get_data(as_text=True)
    # That browser has let go of the response, as the one that sent it did.
    assert other.get(f"/c/{SLUG}/continue").headers["Location"].endswith(f"/c/{SLUG}/done")
    with other.session_transaction() as cookie:
        assert SLUG not in cookie.get("responses", {})
