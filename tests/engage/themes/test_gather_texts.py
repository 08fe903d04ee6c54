"""The written answers a theme run reads: a reason carries the position it explains, and only a
position on the scale ("I don't know" has none; a written answer to a text question has none)."""

from sqlmodel import select

from surveys.models import Answer, Question
from surveys.theme_runs import gather_texts, start_run

from ...factories import demo_consultation
from ...journey_helpers import DEMO_ANSWERS, complete

BEFORE = "connection-vs-speed-before"


def test_a_reason_carries_its_position_and_i_dont_know_none(app, client, session):
    consultation = demo_consultation(session)
    unsure = {**DEMO_ANSWERS, "first-view": {f"q-{BEFORE}": "dont-know",
                                             f"q-{BEFORE}-why": "I cannot tell which matters more"}}
    complete(client, answers=unsure)
    complete(app.test_client())  # the demo answers: −2, "I want a person to talk to"
    questions = {q.key: q for q in session.exec(select(Question).where(
        Question.consultation_id == consultation.id, Question.key.in_([BEFORE, "fix-one-thing"])))}
    run = start_run(session, consultation, [q.id for q in questions.values()], {}, None)
    texts = gather_texts(session, run)
    by_question = dict(session.exec(select(Answer.id, Answer.question_id)
                                    .where(Answer.id.in_([t.answer_id for t in texts]))).all())
    reasons = sorted((t.position is None, t.position) for t in texts
                     if by_question[t.answer_id] == questions[BEFORE].id)
    assert reasons == [(False, -2), (True, None)]
    written = [t for t in texts if by_question[t.answer_id] == questions["fix-one-thing"].id]
    assert len(written) == 2 and all(t.position is None for t in written)
