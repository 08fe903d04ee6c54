"""Answers on a page that the person's own later answers no longer show are not kept when they send."""

import pytest
from sqlmodel import select

from surveys.models import Answer, Page, Question, Respondent

from ...factories import PASSWORD, demo_consultation, user
from ...journey_helpers import DEMO_ANSWERS, SLUG, begin


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def test_answers_on_a_page_that_stopped_applying_are_not_sent(client, session, demo):
    """Said "I work for the NHS", answered the staff page, then changed to "member of the public"
    from the check page: the staff page leaves the check page, and its answers were still stored
    and counted with the public's (the published staff question said "14 answered" for 13 staff)."""
    location = begin(client)
    while "/p/" in location:
        key = location.rsplit("/p/", 1)[1].split("?")[0]
        data = {**DEMO_ANSWERS.get(key, {}), **({"q-role": "staff"} if key == "about-you" else {})}
        location = client.post(location, data=data).headers["Location"]
    staff_questions = {key for key, rule in session.exec(select(Question.key, Page.show_if)
                                                         .join(Page, Page.id == Question.page_id))
                       if rule and "staff" in rule.get("in", [])}
    assert staff_questions, "the demo has a page for NHS staff only"

    def stored() -> set[str]:
        session.expire_all()
        return set(session.exec(select(Question.key).join(Answer, Answer.question_id == Question.id)).all())

    assert staff_questions & stored()
    changed = client.post(f"/c/{SLUG}/p/about-you?change=1",
                          data={**DEMO_ANSWERS["about-you"], "q-role": "public"})
    assert changed.headers["Location"].endswith("/check")
    assert "For NHS staff" not in client.get(f"/c/{SLUG}/check").get_data(as_text=True)
    assert client.post(f"/c/{SLUG}/submit").headers["Location"].endswith("/done")
    respondent = session.exec(select(Respondent)).one()
    assert respondent.submitted_at is not None and respondent.segment == "public"
    assert not staff_questions & stored()
    assert {"role", "connection-vs-speed-before", "new-vs-existing"} <= stored()


def test_answers_on_a_page_that_stopped_applying_are_not_counted_before_sending(app, client, session, demo):
    """The same change, not yet sent: staff summaries, written answers and the export counted the
    staff page's answers (as said by a member of the public) until the person pressed Send."""
    person = app.test_client()
    location = begin(person)
    while "/p/" in location:
        key = location.rsplit("/p/", 1)[1].split("?")[0]
        data = {**DEMO_ANSWERS.get(key, {}), **({"q-role": "staff"} if key == "about-you" else {})}
        location = person.post(location, data=data).headers["Location"]
    changed = person.post(f"/c/{SLUG}/p/about-you?change=1",
                          data={**DEMO_ANSWERS["about-you"], "q-role": "public"})
    assert changed.headers["Location"].endswith("/check")
    user(session, "lead@example.nhs.uk", consultations=(demo,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    export = client.get(f"/manage/c/{SLUG}/responses/all.csv").get_data(as_text=True)
    assert "Being listened to" in export  # the person's answers are in it, unsent
    assert "Single sign-on" not in export
    written = client.get(f"/manage/c/{SLUG}/responses/text?question=staff-one-change").get_data(as_text=True)
    assert "Single sign-on" not in written
