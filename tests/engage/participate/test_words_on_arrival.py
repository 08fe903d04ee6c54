"""What happens to written answers as they arrive: real disclosures are flagged for the lead,
idioms are not, and personal details the review found unredacted are redacted."""

import copy

import pytest
from sqlmodel import select

from surveys.models import Answer, Question

from ...factories import demo_consultation
from ...journey_helpers import DEMO_ANSWERS, complete


@pytest.fixture
def demo(session):
    return demo_consultation(session)


def written(app, session, words: str) -> Answer:
    answers = copy.deepcopy(DEMO_ANSWERS)
    answers["people-and-ai"]["q-what-matters-most"] = words
    complete(app.test_client(), answers=answers)
    question = session.exec(select(Question).where(Question.key == "what-matters-most")).one()
    return session.exec(select(Answer).where(Answer.question_id == question.id)
                        .order_by(Answer.id.desc())).first()


@pytest.mark.parametrize("words", ["I feel like ending it all", "I want to die",
                                   "I do not want to live any more", "my husband hits me",
                                   "I took too many pills", "I cut myself"])
def test_disclosures_from_the_review_reach_the_lead(app, session, demo, words):
    assert written(app, session, words).safeguarding is True


@pytest.mark.parametrize("words", ["the wait was killing me", "the surgeon cut out the tumour",
                                   "I'd die for a cup of tea"])
def test_idioms_are_not_flagged(app, session, demo, words):
    assert written(app, session, words).safeguarding is False


def test_details_the_review_found_are_redacted(app, session, demo):
    answer = written(app, session, "DOB: 1980-02-01, nhs 943.476.5919. My name is Jane Doe, "
                                   "I live at 12 Acacia Avenue and the clinic was kind")
    assert answer.text_redacted == ("DOB: [date of birth], nhs [NHS number]. My name is [name], "
                                    "I live at [address] and the clinic was kind")
