"""Every question type through HTTP: invalid answers refused with a message, nothing stored."""

import re

import pytest
from sqlmodel import func, select

from surveys.models import Answer

from ...factories import consultation_from
from ...journey_helpers import begin

SLUG = "types"
OPTIONS = [{"key": "a", "label": "Apple"}, {"key": "b", "label": "Banana"}, {"key": "c", "label": "Cherry"}]
QUESTIONS = {
    "tradeoff": {"config": {"left": "Human connection", "right": "Speed", "ask_reason": True}},
    "likert": {"config": {"dont_know": True}},
    "choice": {"config": {"options": OPTIONS, "other": True}},
    "multi": {"config": {"options": OPTIONS, "other": True, "max_choices": 2}},
    "rank": {"config": {"options": OPTIONS}},
    "allocate": {"config": {"options": OPTIONS, "total": 100, "unit": "points"}},
    "text": {"config": {"max_length": 50}},
}


def definition(required: bool) -> dict:
    return {"slug": SLUG, "title": "Types", "pages": [
        {"key": f"p-{name}", "kind": "questions", "title": name, "questions": [
            {"key": name, "type": name, "prompt": f"The {name} question", "required": required,
             **spec}]} for name, spec in QUESTIONS.items()]}


@pytest.fixture
def required(session, client):
    consultation_from(session, definition(required=True))
    begin(client, SLUG)


@pytest.fixture
def optional(session, client):
    consultation_from(session, definition(required=False))
    begin(client, SLUG)


def post(client, name, data):
    return client.post(f"/c/{SLUG}/p/p-{name}", data=data)


def stored(session):
    return {a.question_id: (a.value, a.text) for a in session.exec(select(Answer)).all()}


INVALID = [
    ("tradeoff", {"q-tradeoff": "4"}, "Select one of the points on the scale"),
    ("tradeoff", {"q-tradeoff": "left"}, "Select one of the points on the scale"),
    ("tradeoff", {"q-tradeoff": "1", "q-tradeoff-why": "w" * 1001}, "Your reason must be 1000 characters"),
    # A reason with no point was kept, exported and analysed while the check page said "Not answered".
    ("tradeoff", {"q-tradeoff-why": "I do not trust computers"},
     "Select where you stand on the scale, or clear your reason"),
    ("likert", {"q-likert": "6"}, "Select one of the answers given"),
    ("likert", {"q-likert": "x"}, "Select one of the answers given"),
    ("choice", {"q-choice": "durian"}, "Select one of the answers given"),
    ("choice", {"q-choice": "other"}, "Tell us what else, or choose another answer"),
    ("multi", {"q-multi": ["a", "zzz"]}, "Select from the answers given"),
    ("multi", {"q-multi": ["a", "b", "c"]}, "Select up to 2 answers"),
    ("multi", {"q-multi": ["other"]}, "Tell us what else"),
    ("rank", {"q-rank-a": "1", "q-rank-b": "1", "q-rank-c": "2"}, "Use each position only once"),
    ("rank", {"q-rank-a": "1", "q-rank-b": "2"}, "Give every option a position"),
    ("rank", {"q-rank-a": "9", "q-rank-b": "2", "q-rank-c": "3"}, "Choose a position from 1 to 3"),
    ("allocate", {"q-allocate-a": "50", "q-allocate-b": "20"}, "They must add up to exactly 100"),
    ("allocate", {"q-allocate-a": "-5", "q-allocate-b": "105"}, "Enter a whole number of points"),
    ("allocate", {"q-allocate-a": "500"}, "Enter 100 points or fewer"),
    ("allocate", {"q-allocate-a": "1e2"}, "Enter a whole number of points"),
    # A comma that is not a thousands separator: "2,5" was read as 25.
    ("allocate", {"q-allocate-a": "2,5", "q-allocate-b": "75"}, "Enter a whole number of points"),
    ("allocate", {"q-allocate-a": "1,00"}, "Enter a whole number of points"),
    ("text", {"q-text": "t" * 51}, "Your answer must be 50 characters or fewer"),
]


@pytest.mark.parametrize("name,data,message", INVALID)
def test_invalid_answers_refused_with_message(client, session, optional, name, data, message):
    response = post(client, name, data)
    html = response.data.decode()
    assert response.status_code == 400
    assert message in html
    assert "There is a problem" in html
    assert stored(session) == {}


@pytest.mark.parametrize("name,message", [
    ("tradeoff", "Select where you stand between Human connection and Speed, or select I don&#39;t know"),
    ("likert", "Select how much you agree or disagree"),
    ("choice", "Select an answer"),
    ("multi", "Select at least one answer"),
    ("rank", "Put the options in order"),
    ("allocate", "Share your 100 points between the options"),
    ("text", "Write your answer"),
])
def test_required_answers_must_be_given(client, session, required, name, message):
    response = post(client, name, {})
    assert response.status_code == 400
    assert message in response.data.decode()


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_optional_questions_may_be_skipped(client, session, optional, name):
    response = post(client, name, {})
    assert response.status_code == 302
    assert stored(session) == {}


VALID = [
    ("tradeoff", {"q-tradeoff": "-3", "q-tradeoff-why": "  Because  "}, (-3, "Because")),
    ("tradeoff", {"q-tradeoff": "0"}, (0, None)),
    ("tradeoff", {"q-tradeoff": "dont-know"}, ("dont-know", None)),
    ("likert", {"q-likert": "1"}, (1, None)),
    ("likert", {"q-likert": "0"}, (0, None)),
    ("choice", {"q-choice": "b"}, ("b", None)),
    ("choice", {"q-choice": "other", "q-choice-other": "Durian"}, ("other", "Durian")),
    ("choice", {"q-choice": "a", "q-choice-other": "ignored"}, ("a", None)),
    ("multi", {"q-multi": ["c", "a"]}, (["a", "c"], None)),
    ("rank", {"q-rank-a": "3", "q-rank-b": "1", "q-rank-c": "2"}, (["b", "c", "a"], None)),
    ("allocate", {"q-allocate-a": "100"}, ({"a": 100, "b": 0, "c": 0}, None)),
    ("allocate", {"q-allocate-a": "33", "q-allocate-b": "33", "q-allocate-c": "34"},
     ({"a": 33, "b": 33, "c": 34}, None)),
    # Full-width digits, as some phone keyboards type them, read as the number they show.
    ("allocate", {"q-allocate-a": "\uff15\uff10", "q-allocate-b": "50"}, ({"a": 50, "b": 50, "c": 0}, None)),
    ("text", {"q-text": "Hello\r\nthere"}, (None, "Hello\nthere")),
]


@pytest.mark.parametrize("name,data,expected", VALID)
def test_valid_answers_stored_with_right_value(client, session, optional, name, data, expected):
    assert post(client, name, data).status_code == 302
    assert list(stored(session).values()) == [expected]


def test_answer_can_be_changed_and_cleared(client, session, optional):
    post(client, "choice", {"q-choice": "a"})
    post(client, "choice", {"q-choice": "b"})
    assert list(stored(session).values()) == [("b", None)]
    post(client, "choice", {})
    assert session.exec(select(func.count()).select_from(Answer)).one() == 0


def test_hostile_text_is_stored_inert_and_escaped(client, session, optional):
    post(client, "text", {"q-text": "<script>alert(1)</script>"})
    html = client.get(f"/c/{SLUG}/check").data.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_wrong_amount_is_marked_at_once(client, session, optional):
    """Each box with a wrong amount gets its own message, in one go: only the first was marked, so
    a person with three wrong boxes needed three tries."""
    response = post(client, "allocate", {"q-allocate-a": "abc", "q-allocate-b": "105", "q-allocate-c": "-1"})
    html = response.data.decode()
    assert response.status_code == 400
    summary = html.split('class="nhsuk-error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="#(q-allocate-[a-z])"', summary)
    assert links == ["q-allocate-a", "q-allocate-b", "q-allocate-c"]
    assert html.count("Enter a whole number of points") == 4  # two boxes, each in the summary and at the box
    assert html.count("Enter 100 points or fewer") == 2
    assert stored(session) == {}


@pytest.mark.parametrize("data,marked,message", [
    # Two options both put first: each is marked, so the person sees which pair clashes.
    ({"q-rank-a": "1", "q-rank-b": "1", "q-rank-c": "2"}, ["q-rank-a", "q-rank-b"],
     "Use each position only once"),
    ({"q-rank-a": "9", "q-rank-b": "0", "q-rank-c": "3"}, ["q-rank-a", "q-rank-b"],
     "Choose a position from 1 to 3"),
    ({"q-rank-b": "1"}, ["q-rank-a", "q-rank-c"], "Give every option a position"),
])
def test_every_wrong_position_is_marked_at_once(client, session, optional, data, marked, message):
    """Every select with a wrong position gets its own message in one go: only the first of two
    options given the same position was marked, and the person could not tell which was its twin."""
    response = post(client, "rank", data)
    html = response.data.decode()
    assert response.status_code == 400
    summary = html.split('class="nhsuk-error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'href="#(q-rank-[a-z])"', summary) == marked
    assert html.count(message) == 2 * len(marked)  # in the summary and at each select
    assert stored(session) == {}


def test_reason_without_a_point_is_refused_in_welsh(client, session, optional):
    """The message asking for a point before a reason is in the person's language."""
    response = client.post(f"/c/{SLUG}/p/p-tradeoff?lang=cy", data={"q-tradeoff-why": "Dim ymddiriedaeth"})
    assert response.status_code == 400
    welsh = "Dewiswch ble rydych chi&#39;n sefyll ar y raddfa, neu cliriwch eich rheswm"
    assert welsh in response.data.decode()
    assert stored(session) == {}


def test_budget_amounts_may_use_thousands_separators(client, session):
    """"1,500" is one thousand five hundred, as written on a budget; only such commas are read."""
    consultation_from(session, {"slug": SLUG, "title": "Budget", "pages": [
        {"key": "p-allocate", "kind": "questions", "title": "Budget", "questions": [
            {"key": "allocate", "type": "allocate", "prompt": "Share it", "required": True,
             "config": {"options": OPTIONS, "total": 2000, "unit": "pounds"}}]}]})
    begin(client, SLUG)
    assert post(client, "allocate", {"q-allocate-a": "1,500", "q-allocate-b": "500"}).status_code == 302
    assert list(stored(session).values()) == [({"a": 1500, "b": 500, "c": 0}, None)]
