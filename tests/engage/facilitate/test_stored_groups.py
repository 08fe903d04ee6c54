"""Each answer carries its person's group (``Answer.segment``) so the summaries count by group from
one index: whatever writes answers or changes the segment question, the stored groups stay those
of the people's own segment answers, and the summaries count exactly what those say."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlmodel import select

from surveys import builder, journey, retention, summaries
from surveys.formdata import FormData
from surveys.models import Answer, Page, Question, Respondent
from surveys.paper_entry import check_entry, enter_response
from surveys.responses import find_by_reference, withdraw

from ...factories import demo_consultation, user
from ...journey_helpers import DEMO_ANSWERS, SLUG, begin
from ..workshop.helpers import all_answers, make_workshop, post_response


def _truth(session, consultation) -> dict[int, str | None]:
    """Each person's group as their own segment answer says it (None: no answer, or no segment
    question)."""
    people = session.exec(select(Respondent.id).where(Respondent.consultation_id == consultation.id)).all()
    question = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                   Question.is_segment)).first()
    given = {} if question is None else dict(session.exec(
        select(Answer.respondent_id, Answer.value).where(Answer.question_id == question.id)).all())
    return {p: given.get(p) for p in people}


def assert_in_step(session, consultation) -> None:
    """The stored groups, on the people and on every answer, are the people's segment answers, and
    the summaries' counts by group are those of the answers grouped by them."""
    session.expire_all()
    truth = _truth(session, consultation)
    assert truth, "no people to check"
    stored = dict(session.exec(select(Respondent.id, Respondent.segment)
                               .where(Respondent.consultation_id == consultation.id)).all())
    assert stored == truth
    answers = session.exec(select(Answer.respondent_id, Answer.segment, Answer.question_id, Answer.value)
                           .join(Respondent).where(Respondent.consultation_id == consultation.id)).all()
    assert [(rid, seg) for rid, seg, _, _ in answers] == [(rid, truth[rid]) for rid, _, _, _ in answers]
    questions = builder.questions_of(session, consultation)
    grouped = [q.id for q in questions if summaries.get_type(q.type).summarised
               and summaries.get_type(q.type).summed_keys(q) is None]
    expected = Counter((qid, truth[rid], json.dumps(value)) for rid, _, qid, value in answers
                       if qid in grouped and value is not None)
    counted = Counter()
    for qid, seg, raw, n in summaries._value_counts(session, grouped, ["any"], summaries.Filters()):
        counted[qid, seg, json.dumps(json.loads(raw))] += n
    assert counted == expected
    # Opinion change for one group: the people in it who answered both times.
    repeat = next(q for q in questions if q.repeat_of_id)
    position = summaries.get_type(repeat.type).position
    given = {(rid, qid): value for rid, _, qid, value in answers if value is not None}
    for group in {g for g in truth.values() if g is not None}:
        both = sum(1 for rid, g in truth.items() if g == group
                   and position(given.get((rid, repeat.repeat_of_id))) is not None
                   and position(given.get((rid, repeat.id))) is not None)
        assert summaries.opinion_change(session, repeat, summaries.Filters(segment=group))["both"] == both


def _segment_second(session):
    """The demo consultation, open, with the segment question moved after another on its page: a
    person's first answer is saved before their group is known."""
    consultation = demo_consultation(session, status="draft")
    role = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                               Question.key == "role")).one()
    builder.move_question(session, consultation, role, 1)
    builder.set_status(session, consultation, "open")
    session.commit()
    return consultation


def test_the_web_journey_and_a_changed_mind(client, session):
    consultation = _segment_second(session)
    location = begin(client)
    while "/p/" in location:
        key = location.rsplit("/p/", 1)[1].split("?")[0]
        response = client.post(location, data=DEMO_ANSWERS.get(key, {}))
        assert response.status_code == 302, key
        location = response.headers["Location"]
    assert_in_step(session, consultation)
    person = session.exec(select(Respondent)).one()
    assert person.segment == "patient"
    # Back to the first page: the person says they are a carer after all.
    changed = dict(DEMO_ANSWERS["about-you"], **{"q-role": "carer"})
    assert client.post(f"/c/{SLUG}/p/about-you", data=changed).status_code == 302
    assert_in_step(session, consultation)
    assert session.get(Respondent, person.id).segment == "carer"
    assert set(session.exec(select(Answer.segment)).all()) == {"carer"}
    assert client.post(f"/c/{SLUG}/submit").status_code == 302
    assert_in_step(session, consultation)


def test_kiosk_responses(client, app, session):
    consultation = _segment_second(session)
    workshop = make_workshop(session, consultation)
    for role in ("staff", "public"):
        assert post_response(client, app, workshop, answers=all_answers(role)).status_code == 201
    assert_in_step(session, consultation)
    assert Counter(session.exec(select(Answer.segment)).all()).keys() == {"staff", "public"}


def _flat(answers: dict) -> FormData:
    return FormData([(k, v) for k, given in answers.items()
                     for v in (given if isinstance(given, list) else [given])])


def test_paper_entry(session):
    consultation = _segment_second(session)
    typist = user(session, "typist@example.nhs.uk", "facilitator", (consultation,))
    structure = journey.Structure.load(session, consultation)
    for role in ("carer", "staff"):
        parsed, errors = check_entry(structure, _flat(all_answers(role)))
        assert not errors
        enter_response(session, structure, parsed, "paper", typist.id)
    session.commit()
    assert_in_step(session, consultation)


def test_withdrawal_and_purge(client, session):
    from engage.sample_responses import add_sample_responses

    consultation = demo_consultation(session)
    add_sample_responses(session, consultation, 12)
    session.commit()
    one = session.exec(select(Respondent).order_by(Respondent.id)).first()
    withdraw(session, one)
    session.commit()
    assert find_by_reference(session, consultation, one.reference) is None
    assert_in_step(session, consultation)
    builder.set_status(session, consultation, "closed")
    retention.purge(session, consultation)
    session.commit()
    assert session.exec(select(Answer)).all() == []


@pytest.fixture
def draft_with_people(session):
    """A draft with people in it (sample responses are saved the way answers always are)."""
    from engage.sample_responses import add_sample_responses

    consultation = demo_consultation(session, status="draft")
    add_sample_responses(session, consultation, 16)
    session.commit()
    assert_in_step(session, consultation)
    return consultation


def _question(session, consultation, key):
    return session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                               Question.key == key)).one()


def _set_segment(session, consultation, question, on: bool):
    builder.update_question(session, consultation, question, question.prompt, question.hint,
                            question.required, question.config, None, on)
    session.commit()


def test_the_builder_choosing_another_segment_question(session, draft_with_people):
    consultation = draft_with_people
    _set_segment(session, consultation, _question(session, consultation, "role"), False)
    assert_in_step(session, consultation)
    assert set(session.exec(select(Answer.segment)).all()) == {None}
    age = _question(session, consultation, "age-band")
    _set_segment(session, consultation, age, True)
    assert_in_step(session, consultation)
    bands = {str(o["key"]) for o in age.config["options"]}
    assert set(session.exec(select(Answer.segment)).all()) <= bands | {None}
    assert set(session.exec(select(Answer.segment)).all()) & bands
    # Back to the first: everyone is in the group their answer to it says again.
    _set_segment(session, consultation, age, False)
    _set_segment(session, consultation, _question(session, consultation, "role"), True)
    assert_in_step(session, consultation)
    assert set(session.exec(select(Answer.segment)).all()) <= {"patient", "carer", "public", "staff"}
    # The segment question deleted: nobody is in a group.
    _set_segment(session, consultation, _question(session, consultation, "role"), False)
    _set_segment(session, consultation, age, True)
    assert set(session.exec(select(Answer.segment)).all()) & bands
    builder.delete_question(session, consultation, age)
    session.commit()
    assert_in_step(session, consultation)
    assert set(session.exec(select(Respondent.segment)).all()) == {None}


def test_the_builder_adding_a_new_segment_question(session, draft_with_people):
    consultation = draft_with_people
    _set_segment(session, consultation, _question(session, consultation, "role"), False)
    role = _question(session, consultation, "role")
    page = session.get(Page, role.page_id)
    builder.add_question(session, consultation, page, "sector", "choice", "Where do you work?",
                         config={"options": [{"label": "Hospital"}, {"label": "GP surgery"}]},
                         is_segment=True)
    session.commit()
    assert_in_step(session, consultation)  # nobody has answered it: nobody is in a group
    assert set(session.exec(select(Answer.segment)).all()) == {None}
