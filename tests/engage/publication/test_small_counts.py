"""A count of 1 to 4 people is never given to the public: not on "You said, we did", not as a share
of everyone on "What others have said so far" (a share of a total that is shown is a count)."""

import re

from sqlmodel import select

from surveys.models import Answer, Question

from ...factories import demo_consultation, signed_in_lead_with_answers
from ...journey_helpers import SLUG, complete
from .test_publication import PUBLIC, compose

APP_USE = "nhs-app-use"


def _two_use_it_rarely(session) -> int:
    """Everyone who answered how often they use the NHS App says monthly, but two: hardly ever."""
    question = session.exec(select(Question).where(Question.key == APP_USE)).one()
    answers = session.exec(select(Answer).where(Answer.question_id == question.id)).all()
    for i, answer in enumerate(answers):
        answer.value = "installed-rarely-used" if i < 2 else "every-month"
        session.add(answer)
    session.commit()
    return len(answers)


def test_the_outcome_page_never_counts_fewer_than_five(app, client, session):
    signed_in_lead_with_answers(app, session, client, 40)
    answered = _two_use_it_rarely(session)
    compose(client, questions=[APP_USE], themes=[], quotes=[])
    assert client.post(f"/manage/c/{SLUG}/publication/1/publish").status_code == 302
    page = client.get(PUBLIC).get_data(as_text=True)
    table = page.split("Answers to: ")[1].split("</table>")[0]
    assert f"Everyone ({answered})" in table
    counts = [int(n) for n in re.findall(r"(?<![\w(])(\d+)\s*\(\d+%\)", table)]
    assert counts and not [n for n in counts if 0 < n < 5], table
    # The 2 are not shown, nor the next smallest (a 0), which would give the 2 away from the total.
    assert table.count("Not shown") == 2, table
    assert "reads “Not shown”" in page


def test_what_others_said_gives_no_share_of_fewer_than_five(app, session):
    consultation = demo_consultation(session)
    consultation.show_results = True
    session.add(consultation)
    session.commit()
    people = [app.test_client() for _ in range(8)]
    for person in people:
        complete(person)
    _two_use_it_rarely(session)
    page = people[0].get(f"/c/{SLUG}/results").get_data(as_text=True)
    section = page.split(f'id="result-{APP_USE}"')[1].split("</table>")[0]
    assert "I have it, but I hardly ever use it" in section and "Not shown" in section, section
    assert "25%" not in section  # 2 of 8
    assert "About once a month" in section and "75%" not in section  # 6 of 8 would give the 2 away
    assert "too few people to show" in page


def test_a_published_themes_count_is_of_people_and_a_few_people_are_not_counted(app, client, session):
    """A theme of six answers from a few people showed "6 answers" on the public page: the
    smallest-group rule is about people (one person may have several answers in a theme)."""
    from surveys.models import AnalysisRun, Respondent, Theme, ThemeAssignment

    signed_in_lead_with_answers(app, session, client, 40)
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text"))]
    assert client.post(f"/manage/{SLUG}/themes/", data={"questions": qids}).status_code == 302
    run = session.exec(select(AnalysisRun)).one()
    small, big = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                              .order_by(Theme.position)).all()[:2]
    # Every answer of a few people goes into one theme, and that theme holds nothing else.
    placings = session.exec(select(ThemeAssignment, Answer.respondent_id)
                            .join(Answer, Answer.id == ThemeAssignment.answer_id)
                            .where(ThemeAssignment.run_id == run.id)).all()
    by_person: dict[int, list] = {}
    for placing, person in placings:
        by_person.setdefault(person, []).append(placing)
    few = sorted(by_person, key=lambda p: -len(by_person[p]))[:2]
    assert sum(len(by_person[p]) for p in few) >= 5
    for placing, person in placings:
        placing.theme_id, placing.subtheme_id = (small.id if person in few else big.id), None
        session.add(placing)
    session.commit()
    people = len({p for _, p in placings if p not in few and session.get(Respondent, p).submitted_at})

    compose(client, questions=[], themes=[str(small.id), str(big.id)], quotes=[])
    assert client.post(f"/manage/c/{SLUG}/publication/1/publish").status_code == 302
    page = client.get(PUBLIC).get_data(as_text=True)
    def count_under(label: str) -> str:
        return page.split(f"<h4>{label}</h4>")[1].split("</p>")[0]

    assert "Fewer than 5 people" in count_under(small.label), count_under(small.label)
    assert count_under(big.label).endswith(f">{people} people"), count_under(big.label)
