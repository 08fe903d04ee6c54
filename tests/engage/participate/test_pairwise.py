"""The pairwise type, added as one module and two templates: asked one pair per screen online,
all pairs at once on a kiosk, built in the builder, summarised with a Bradley–Terry ranking for
facilitators and respondents, and in the demo's sample answers. Hostile or hand-made forms get a
message, never a server error, and never count for more than one person's pairs."""

from __future__ import annotations

import re
import uuid

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from surveys.models import Answer, Question, Respondent, Workshop
from surveys.types import get_type
from surveys.types.pairwise import bradley_terry

from ...factories import PASSWORD, consultation_from, user
from ..workshop.helpers import kiosk_token, make_workshop, post_response

SLUG = "what-matters"
OPTIONS = [{"key": "waits", "label": "Shorter waits"}, {"key": "kindness", "label": "Kind staff"},
           {"key": "records", "label": "Shared records"}, {"key": "app", "label": "A better NHS App"}]
DEFINITION = {
    "slug": SLUG, "title": "What matters", "summary": "Pairs.", "consent_text": "You agree.",
    "min_group_size": 2, "show_results": True,
    "pages": [
        {"key": "about", "title": "About you", "kind": "questions", "questions": [
            {"key": "role", "type": "choice", "prompt": "Who are you?", "segment": True, "required": True,
             "config": {"options": [{"key": "patient", "label": "A patient"},
                                    {"key": "staff", "label": "NHS staff"}]}}]},
        {"key": "pairs", "title": "Which matters more", "kind": "questions", "questions": [
            {"key": "matters", "type": "pairwise", "prompt": "Which matters more to you?", "required": True,
             "config": {"options": OPTIONS, "pairs": 3}}]},
        {"key": "end", "title": "Anything else", "kind": "questions", "questions": [
            {"key": "else", "type": "text", "prompt": "Anything else?"}]},
    ],
}


@pytest.fixture
def pairs(session):
    return consultation_from(session, DEFINITION)


def matters_answers(session) -> list:
    session.expire_all()
    return list(session.exec(select(Answer.value).join(Question).where(Question.key == "matters")).all())


def shown_pair(html: str) -> tuple[str, str]:
    value = re.search(r'name="q-matters-pair-0" value="([a-z-]+):([a-z-]+)"', html)
    return value.group(1), value.group(2)


def answer_pairs(client, location, prefer=("waits", "kindness", "records", "app"), done=0):
    """Answer each pair shown, one per screen, for the option earlier in ``prefer`` (``done``:
    pairs already judged)."""
    screens = done
    while True:
        html = client.get(location).data.decode()
        assert html.count('name="q-matters-pair-') == 1  # one pair per screen
        assert f"Pair {screens + 1} of 3" in html
        left, right = shown_pair(html)
        pick = min(left, right, key=prefer.index)
        response = client.post(location, data={"q-matters-pair-0": f"{left}:{right}",
                                               "q-matters-pick-0": pick})
        assert response.status_code == 302
        screens += 1
        if not response.headers["Location"].endswith("/p/pairs"):
            return screens, response.headers["Location"]


def complete_pairs(client, role="patient", prefer=("waits", "kindness", "records", "app")) -> str:
    response = client.post(f"/c/{SLUG}/consent", data={"agree": "y"})
    location = response.headers["Location"]
    response = client.post(location, data={"q-role": role})
    assert response.headers["Location"].endswith("/p/pairs")
    screens, location = answer_pairs(client, response.headers["Location"], prefer)
    assert screens == 3 and location.endswith("/p/end")
    client.post(location, data={"q-else": ""})
    client.post(f"/c/{SLUG}/submit")
    return location


def test_one_pair_per_screen_until_three_are_judged_then_on(client, session, pairs):
    complete_pairs(client)
    respondent = session.exec(select(Respondent)).one()
    assert respondent.submitted_at is not None
    question = session.exec(select(Question).where(Question.key == "matters")).one()
    value = session.exec(select(Answer.value).where(Answer.question_id == question.id)).one()
    assert len(value) == 3 and len({frozenset(j[:2]) for j in value}) == 3  # three different pairs
    for left, right, pick in value:
        assert pick == min(left, right, key=["waits", "kindness", "records", "app"].index)


def test_cant_decide_and_errors_are_explained(client, session, pairs):
    response = client.post(f"/c/{SLUG}/consent", data={"agree": "y"})
    response = client.post(response.headers["Location"], data={"q-role": "staff"})
    location = response.headers["Location"]
    left, right = shown_pair(client.get(location).data.decode())
    # Nothing chosen: the same pair again, with a message beside it.
    response = client.post(location, data={"q-matters-pair-0": f"{left}:{right}"})
    html = response.data.decode()
    assert response.status_code == 400 and "Choose which matters more to you" in html
    assert shown_pair(html) == (left, right) and 'href="#q-matters-pick-0"' in html
    # A pair the page never offered (a changed page) is refused, not saved.
    response = client.post(location, data={"q-matters-pair-0": "waits:nope", "q-matters-pick-0": "waits"})
    assert response.status_code == 400 and "changed before it was sent" in response.data.decode()
    response = client.post(location, data={"q-matters-pair-0": f"{left}:{right}",
                                           "q-matters-pick-0": "app-x"})
    assert response.status_code == 400
    assert matters_answers(session) == []
    response = client.post(location, data={"q-matters-pair-0": f"{left}:{right}", "q-matters-pick-0": "none"})
    assert response.headers["Location"].endswith("/p/pairs")
    assert matters_answers(session) == [[[left, right, None]]]
    # The check-answers page says it in words.
    answer_pairs(client, location, done=1)
    check = client.get(f"/c/{SLUG}/check").data.decode()
    labels = {o["key"]: o["label"] for o in OPTIONS}
    assert f"Could not decide between {labels[left]} and {labels[right]}" in check


def test_changing_shows_every_pair_with_the_answers_given(client, session, pairs):
    response = client.post(f"/c/{SLUG}/consent", data={"agree": "y"})
    response = client.post(response.headers["Location"], data={"q-role": "patient"})
    answer_pairs(client, response.headers["Location"])
    html = client.get(f"/c/{SLUG}/p/pairs?change=1").data.decode()
    assert html.count('name="q-matters-pair-') == 3 and html.count("checked") == 3
    data = {}
    for i in range(3):
        left, right = re.search(rf'name="q-matters-pair-{i}" value="([a-z-]+):([a-z-]+)"', html).groups()
        data |= {f"q-matters-pair-{i}": f"{left}:{right}", f"q-matters-pick-{i}": right}
    response = client.post(f"/c/{SLUG}/p/pairs?change=1", data=data)
    assert response.headers["Location"].endswith("/check")
    session.expire_all()
    value = session.exec(select(Answer.value).join(Question).where(Question.key == "matters")).one()
    assert len(value) == 3 and all(pick == right for _, right, pick in value)


def test_results_rank_items_for_respondents_and_facilitators(app, client, session, pairs):
    # Each person is shown 3 of the 6 pairs at random. With 24 people every pair is compared
    # (a pair missed by all of them: 6 x 2^-24), so the ranking is fixed; with 7 people a pair was
    # sometimes never compared and two items could swap (about 1 run in 100).
    for i in range(23):
        complete_pairs(app.test_client(), role="patient" if i % 2 else "staff")
    complete_pairs(client)
    page = client.get(f"/c/{SLUG}/results")
    if page.status_code == 404:  # results for respondents are the consultation's choice
        pairs.show_results = True
        session.add(pairs)
        session.commit()
        page = client.get(f"/c/{SLUG}/results")
    html = page.data.decode()
    assert "Which matters more to you?" in html and "Times chosen" in html
    # Everyone preferred the earlier option, so "Shorter waits" leads the ranking, said in words.
    assert html.index("Shorter waits") < html.index("A better NHS App")
    # In words too: the first of the table's rows, which come in the ranking's order.
    said = re.search(r"Mattered most: ([^.<]+)\. Listed from what mattered most to least, from the "
                     r"pairs 24 people compared\.", html)
    labels = [o["label"] for o in OPTIONS]
    assert said and said.group(1) in labels
    table = html[said.end():]
    assert min(labels, key=lambda label: table.index(label)) == said.group(1)

    user(session, "fac@example.nhs.uk", "facilitator", consultations=(pairs,))
    staff = app.test_client()
    staff.post("/account/sign-in", data={"email": "fac@example.nhs.uk", "password": PASSWORD})
    html = staff.get(f"/manage/c/{SLUG}/responses/questions/pairs").data.decode()
    assert "Likely range" in html and "Times compared" in html
    ranked = re.findall(r"\d\. (Shorter waits|Kind staff|Shared records|A better NHS App)", html)
    assert ranked[:4] == ["Shorter waits", "Kind staff", "Shared records", "A better NHS App"]
    assert "A patient" in html and "NHS staff" in html  # broken down by segment


def test_kiosk_takes_every_pair_on_one_screen(app, client, session, pairs):
    workshop = make_workshop(session, pairs)
    html = client.get(f"/workshop/k/{workshop.join_code}/1").data.decode()
    assert html.count('name="q-matters-pair-') == 3
    answers = {"q-role": "staff", "q-else": ""}
    for i, (left, right) in enumerate([("waits", "app"), ("kindness", "records"), ("app", "records")]):
        answers |= {f"q-matters-pair-{i}": f"{left}:{right}", f"q-matters-pick-{i}": left}
    response = post_response(client, app, workshop, answers=answers)
    assert response.status_code == 201, response.json
    value = session.exec(select(Answer.value).join(Question).where(Question.key == "matters")).one()
    assert value == [["waits", "app", "waits"], ["kindness", "records", "kindness"],
                     ["app", "records", "app"]]
    # A pick that is not one of the pair is explained, page by page, and nothing is stored.
    answers["q-matters-pick-1"] = "waits"
    response = post_response(client, app, workshop, answers=answers)
    assert response.status_code == 422 and "q-matters-pick-1" in response.json["errors"]["pairs"]
    assert kiosk_token(app, workshop, 1)


def test_builder_makes_a_pairwise_question_from_its_settings(app, client, session, pairs):
    user(session, "fac@example.nhs.uk", "facilitator", consultations=(pairs,))
    client.post("/account/sign-in", data={"email": "fac@example.nhs.uk", "password": PASSWORD})
    pairs.status = "draft"
    session.add(pairs)
    session.commit()
    page = "end"
    form = client.get(f"/manage/c/{SLUG}/pages/{page}/questions/new?type=pairwise")
    if form.status_code == 404:
        pytest.fail("the builder has no form for a pairwise question")
    html = form.data.decode()
    assert "Things to compare, two at a time" in html and "Pairs each person sees" in html
    response = client.post(f"/manage/c/{SLUG}/pages/{page}/questions/new?type=pairwise", data={
        "key": "which-first", "prompt": "Which first?", "cfg_options-rows": "1", "cfg_options-0-label": "One",
        "cfg_options-1-label": "Two", "cfg_options-2-label": "Three",
        "cfg_pairs": "5"})
    assert response.status_code == 400 and "3 things make only 3 different pairs:" in response.data.decode()
    response = client.post(f"/manage/c/{SLUG}/pages/{page}/questions/new?type=pairwise", data={
        "key": "which-first", "prompt": "Which first?", "cfg_options-rows": "1", "cfg_options-0-label": "One",
        "cfg_options-1-label": "Two", "cfg_options-2-label": "Three",
        "cfg_pairs": "2"})
    assert response.status_code == 302, response.data.decode()[:2000]
    q = session.exec(select(Question).where(Question.key == "which-first")).one()
    assert q.type == "pairwise" and q.config == {"options": [{"key": "one", "label": "One"},
                                                             {"key": "two", "label": "Two"},
                                                             {"key": "three", "label": "Three"}], "pairs": 2}


def test_two_things_with_pairs_left_empty_make_the_one_pair_there_is(app, client, session, pairs):
    user(session, "fac@example.nhs.uk", "facilitator", consultations=(pairs,))
    client.post("/account/sign-in", data={"email": "fac@example.nhs.uk", "password": PASSWORD})
    pairs.status = "draft"
    session.add(pairs)
    session.commit()
    new = f"/manage/c/{SLUG}/pages/end/questions/new?type=pairwise"
    two = {"key": "this-or-that", "prompt": "This or that?", "cfg_options-rows": "0",
           "cfg_options-0-label": "This", "cfg_options-1-label": "That"}
    # Asking for more pairs than there are is refused, counting them in words that fit one pair.
    for lang, said in (("en", "2 things make only 1 different pair: ask for fewer pairs"),
                       ("cy", "Dim ond 1 pâr gwahanol y mae 2 o bethau yn ei wneud: gofynnwch am lai o "
                              "barau")):
        response = client.post(f"{new}&lang={lang}", data={**two, "cfg_pairs": "2"})
        assert response.status_code == 400 and said in response.data.decode()
    response = client.post(new, data={**two, "cfg_pairs": ""})  # "Leave empty for 3."
    assert response.status_code == 302, response.data.decode()[:2000]
    q = session.exec(select(Question).where(Question.key == "this-or-that")).one()
    assert "pairs" not in q.config and get_type("pairwise").pairs_per_person(q) == 1


def test_bradley_terry_recovers_the_order_and_is_unsure_with_little_data():
    rng = np.random.default_rng(3)
    strength = np.array([2.0, 1.0, 0.0, -1.0])
    wins = np.zeros((4, 4))
    for _ in range(4000):
        i, j = rng.choice(4, 2, replace=False)
        p = 1 / (1 + np.exp(strength[j] - strength[i]))
        if rng.random() < p:
            wins[i, j] += 1
        else:
            wins[j, i] += 1
    scores = bradley_terry(wins)
    assert [s["score"] for s in scores] == sorted((s["score"] for s in scores), reverse=True)
    assert all(s["low"] < s["score"] < s["high"] for s in scores)
    few = bradley_terry(np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]], float))
    many = bradley_terry(100 * np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]], float))
    assert few[0]["high"] - few[0]["low"] > many[0]["high"] - many[0]["low"]


def test_sample_answers_are_valid_pairwise_answers(session, pairs):
    import random

    from surveys.types.base import SampleContext

    q = session.exec(select(Question).where(Question.key == "matters")).one()
    t = get_type(q.type)
    context = SampleContext(rng=random.Random(1), segment="patient", lean=-1, write=lambda: "")
    for _ in range(20):
        value = t.sample(q, context).value
        assert len(value) == 3 and t.merge(q, value, t.sample(q, context)).value
        assert t.display(q, value, None) != "Not answered"


def start_pairs(client) -> str:
    response = client.post(f"/c/{SLUG}/consent", data={"agree": "y"})
    response = client.post(response.headers["Location"], data={"q-role": "patient"})
    return response.headers["Location"]


ALL_PAIRS = [("waits", "kindness"), ("waits", "records"), ("waits", "app"), ("kindness", "records"),
             ("kindness", "app"), ("records", "app")]


def test_a_hand_made_form_never_weighs_more_than_one_persons_pairs(client, session, pairs):
    location = start_pairs(client)
    # Every pair at once (more than the 3 asked), or one pair twice, is a changed page: refused.
    every = {}
    for i, (left, right) in enumerate(ALL_PAIRS):
        every |= {f"q-matters-pair-{i}": f"{left}:{right}", f"q-matters-pick-{i}": left}
    twice = {"q-matters-pair-0": "waits:app", "q-matters-pick-0": "waits",
             "q-matters-pair-1": "app:waits", "q-matters-pick-1": "waits"}
    for data in (every, twice):
        response = client.post(location, data=data)
        assert response.status_code == 400 and "changed before it was sent" in response.data.decode()
        assert 'href="#q-matters-pick-0"' in response.data.decode()
    assert matters_answers(session) == []
    # Pair after pair sent by hand, past the 3 asked: only the newest 3 are kept.
    for left, right in ALL_PAIRS:
        response = client.post(location, data={"q-matters-pair-0": f"{left}:{right}",
                                               "q-matters-pick-0": left})
        assert response.status_code == 302
    assert matters_answers(session) == [[[*p, p[0]] for p in ALL_PAIRS[-3:]]]


def test_a_changed_page_is_explained_in_welsh(client, session, pairs):
    """The "page was changed" message was always in English, whatever the person's language."""
    location = start_pairs(client)
    for data in ({"q-matters-pair-0": "waits:nope", "q-matters-pick-0": "waits"},
                 {f"q-matters-pair-{i}": f"{a}:{b}" for i, (a, b) in enumerate(ALL_PAIRS)}):
        response = client.post(f"{location}?lang=cy", data=data)
        html = response.data.decode()
        assert response.status_code == 400
        assert "Cafodd y dudalen hon ei newid cyn iddi gael ei hanfon" in html
        assert "changed before it was sent" not in html
    assert matters_answers(session) == []


@pytest.mark.parametrize("value", ["²", "³", "9" * 5000, "\x00", "waits:waits", "waits:", ":app"])
def test_odd_values_in_pairwise_fields_get_a_message(client, session, pairs, value):
    location = start_pairs(client)
    for data in ({"q-matters-pair-0": value, "q-matters-pick-0": "waits"},
                 {"q-matters-pair-0": "waits:app", "q-matters-pick-0": value}):
        response = client.post(location, data=data)
        assert response.status_code == 400
        assert 'class="nhsuk-error-summary' in response.data.decode()
    assert matters_answers(session) == []


PAIR_FIELDS = [f"q-matters-{part}-{i}" for i in range(12) for part in ("pair", "pick")] + ["q-matters-judged"]
pair_values = st.one_of(st.sampled_from([f"{a}:{b}" for a, b in ALL_PAIRS] + ["waits", "app", "none", "²",
                                                                             "9" * 5000, "a:b:c", ""]),
                        st.text(max_size=20))
pair_forms = st.dictionaries(st.sampled_from(PAIR_FIELDS),
                             st.one_of(pair_values, st.lists(pair_values, max_size=3)), max_size=10)
FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(data=pair_forms)
def test_any_pairwise_form_is_saved_whole_or_refused_never_a_server_error(app, session, data):
    if not session.exec(select(Question).where(Question.key == "matters")).first():
        consultation_from(session, DEFINITION)
    client = app.test_client()
    location = start_pairs(client)
    response = client.post(location, data=data)
    assert response.status_code in (302, 400)
    for value in matters_answers(session):
        keys = [o["key"] for o in OPTIONS]
        assert len(value) <= 3 and len({frozenset(j[:2]) for j in value}) == len(value)
        assert all(a in keys and b in keys and a != b and pick in (a, b, None) for a, b, pick in value)


@FUZZ
@given(data=pair_forms, endpoint=st.sampled_from(["responses", "check/pairs"]))
def test_kiosk_takes_any_pairwise_answers_without_a_server_error(app, session, data, endpoint):
    workshop = session.exec(select(Workshop)).first()
    if workshop is None:
        workshop = make_workshop(session, consultation_from(session, DEFINITION))
    before = len(session.exec(select(Respondent)).all())
    body = {"answers": {"q-role": "staff", **data}}
    if endpoint == "responses":
        body["idempotency_key"] = str(uuid.uuid4())
    response = app.test_client().post(f"/workshop/k/{workshop.join_code}/1/{endpoint}", json=body,
                                      headers={"X-Kiosk-Token": kiosk_token(app, workshop, 1)})
    assert response.status_code < 500
    session.expire_all()
    if response.status_code >= 400:
        assert len(session.exec(select(Respondent)).all()) == before
    for value in matters_answers(session):
        assert len(value) <= 3
