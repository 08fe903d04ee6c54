"""A page shown only because of an answer on another show-if page stops applying with that page."""

import pytest
from sqlmodel import select

from surveys.models import Answer, Question

from ...factories import consultation_from
from ...journey_helpers import begin

SLUG = "chain"
DEFINITION = {
    "slug": SLUG, "title": "Chain", "summary": "S.", "consent_text": "You agree.",
    "pages": [
        {"key": "about", "title": "About you", "kind": "questions", "questions": [
            {"key": "role", "type": "choice", "prompt": "Who are you?", "required": True,
             "config": {"options": [{"key": "patient", "label": "A patient"},
                                    {"key": "staff", "label": "NHS staff"}]}}]},
        {"key": "staffpage", "title": "Staff", "kind": "questions",
         "show_if": {"question": "role", "in": ["staff"]},
         "questions": [{"key": "job", "type": "choice", "prompt": "Your job?", "required": False,
                        "config": {"options": [{"key": "nurse", "label": "Nurse"},
                                               {"key": "doctor", "label": "Doctor"}]}}]},
        {"key": "nursepage", "title": "Nurses", "kind": "questions",
         "show_if": {"question": "job", "in": ["nurse"]},
         "questions": [{"key": "shifts", "type": "text", "prompt": "Nursing shift words?",
                        "required": True}]},
        {"key": "words", "title": "Words", "kind": "questions", "questions": [
            {"key": "why", "type": "text", "prompt": "Why?", "required": False}]},
    ],
}


@pytest.fixture
def chain(session):
    return consultation_from(session, DEFINITION)


def stored(session) -> set[str]:
    session.expire_all()
    return set(session.exec(select(Question.key).join(Answer, Answer.question_id == Question.id)).all())


def answer_as_staff_nurse(client) -> None:
    assert begin(client, SLUG).endswith("/p/about")
    for page, data, then in [("about", {"q-role": "staff"}, "/p/staffpage"),
                             ("staffpage", {"q-job": "nurse"}, "/p/nursepage"),
                             ("nursepage", {"q-shifts": "night shifts are unsafe"}, "/p/words"),
                             ("words", {"q-why": ""}, "/check")]:
        assert client.post(f"/c/{SLUG}/p/{page}", data=data).headers["Location"].endswith(then)


def test_a_page_behind_a_page_that_stopped_applying_stops_applying_too(client, session, chain):
    """Staff, nurse, then "a patient" from the check page: the nurse page went on showing (the
    check page listed its answer, Continue led to it) though the staff page it hangs on had gone,
    and sending then deleted the answers the check page had shown as sent."""
    answer_as_staff_nurse(client)
    changed = client.post(f"/c/{SLUG}/p/about?change=1", data={"q-role": "patient"})
    assert changed.headers["Location"].endswith("/check")
    check = client.get(f"/c/{SLUG}/check").get_data(as_text=True)
    assert "Your job?" not in check
    assert "Nursing shift words?" not in check and "night shifts are unsafe" not in check
    assert client.get(f"/c/{SLUG}/p/nursepage").headers["Location"].endswith("/check")
    continued = client.post(f"/c/{SLUG}/p/about", data={"q-role": "patient"})
    assert continued.headers["Location"].endswith("/p/words")
    words = client.get(f"/c/{SLUG}/p/words").get_data(as_text=True)
    assert f'href="/c/{SLUG}/p/about"' in words and "/p/nursepage" not in words  # its Back link
    assert client.post(f"/c/{SLUG}/submit").headers["Location"].endswith("/done")
    assert stored(session) == {"role"}


def test_the_page_behind_applies_again_when_its_answer_applies_again(client, session, chain):
    answer_as_staff_nurse(client)
    client.post(f"/c/{SLUG}/p/about?change=1", data={"q-role": "patient"})
    client.post(f"/c/{SLUG}/p/about", data={"q-role": "staff"})
    assert client.post(f"/c/{SLUG}/p/staffpage", data={"q-job": "nurse"}).headers["Location"].endswith(
        "/p/nursepage")
    assert client.get(f"/c/{SLUG}/p/nursepage").status_code == 200


def test_a_change_that_makes_a_page_apply_asks_its_required_question_before_the_check_page(
        client, session, chain):
    """Patient, then "NHS staff" and "nurse" from the check page: each change went back to the check
    page, which showed "Not answered" for the nurse page's required question and would not send."""
    assert begin(client, SLUG).endswith("/p/about")
    client.post(f"/c/{SLUG}/p/about", data={"q-role": "patient"})
    assert client.post(f"/c/{SLUG}/p/words", data={"q-why": ""}).headers["Location"].endswith("/check")
    changed = client.post(f"/c/{SLUG}/p/about?change=1", data={"q-role": "staff"})
    assert changed.headers["Location"].endswith("/check")  # the staff page asks nothing required
    changed = client.post(f"/c/{SLUG}/p/staffpage?change=1", data={"q-job": "nurse"})
    assert changed.headers["Location"].endswith("/p/nursepage?change=1")
    page = client.get(changed.headers["Location"]).get_data(as_text=True)
    assert "Nursing shift words?" in page and 'action="/c/chain/p/nursepage?change=1"' in page
    answered = client.post(f"/c/{SLUG}/p/nursepage?change=1", data={"q-shifts": "short of staff"})
    assert answered.headers["Location"].endswith("/check")
    assert client.post(f"/c/{SLUG}/submit").headers["Location"].endswith("/done")
    assert stored(session) == {"role", "job", "shifts"}
