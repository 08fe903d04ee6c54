"""A theme's groups are counted in people, not answers: an analysis covers several questions, so one
person can have several answers in one theme, and the smallest-group rule protects people. Two
carers with six answers in a theme are two carers: their count is hidden on the board, in the
theme × group table and in the report, and every count shown is of people."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlmodel import func, select

from surveys import theme_tally
from surveys.models import Answer, Question, Respondent, ThemeAssignment

from ...factories import signed_in_lead_with_answers
from ..reports.test_reports import docx_text, flat, start
from .helpers import card_fact


@pytest.fixture
def two_carers(app, session, client):
    """An analysis whose biggest theme holds every answer of the only two carers left (at least
    three each), and nothing else of theirs: 2 people, 6 or more answers."""
    consultation = signed_in_lead_with_answers(app, session, client, 80)
    run = start(client, session, consultation)
    placed = session.exec(
        select(Respondent.id, func.count()).join(Answer, Answer.respondent_id == Respondent.id)
        .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
        .where(ThemeAssignment.run_id == run.id, Respondent.segment == "carer")
        .group_by(Respondent.id).order_by(func.count().desc(), Respondent.id)).all()
    kept = [person for person, n in placed[:2] if n >= 3]
    assert len(kept) == 2, placed
    for person in session.exec(select(Respondent).where(Respondent.segment == "carer")).all():
        if person.id not in kept:
            person.segment = "patient"
            session.add(person)
    theme_id = session.exec(select(ThemeAssignment.theme_id).where(ThemeAssignment.run_id == run.id)
                            .group_by(ThemeAssignment.theme_id).order_by(func.count().desc())).first()
    theirs = session.exec(select(ThemeAssignment).join(Answer, Answer.id == ThemeAssignment.answer_id)
                          .where(ThemeAssignment.run_id == run.id, Answer.respondent_id.in_(kept))).all()
    for assignment in theirs:
        assignment.theme_id, assignment.subtheme_id = theme_id, None
        session.add(assignment)
    theme_tally.forget_run(session, run.id)  # changed here, behind the app: counted again
    session.commit()
    assert len(theirs) >= 6
    [role] = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                 Question.is_segment)).all()
    names = {o["key"]: o["label"] for o in role.config["options"]}
    return run, theme_id, names, f"/manage/{consultation.slug}/themes/{run.id}"


def _people(session, run_id: int) -> dict[tuple[int, str], int]:
    """Each (theme, group)'s people, counted here apart from the code under test."""
    rows = session.exec(select(ThemeAssignment.theme_id, Respondent.segment, Answer.respondent_id)
                        .join(Answer, Answer.id == ThemeAssignment.answer_id)
                        .join(Respondent, Respondent.id == Answer.respondent_id)
                        .where(ThemeAssignment.run_id == run_id)).all()
    people: dict[tuple[int, str], set] = {}
    for theme_id, segment, person in rows:
        people.setdefault((theme_id, segment or "not said"), set()).add(person)
    return {cell: len(persons) for cell, persons in people.items()}


def test_two_carers_with_six_answers_in_a_theme_are_not_shown_anywhere(client, session, two_carers):
    run, theme_id, names, base = two_carers
    carers = names["carer"]

    board = unescape(client.get(base).get_data(as_text=True))
    link = f"/themes/{run.id}/t/{theme_id}\""
    card = board[board.index(link):].split("</li>")[0]
    assert not re.search(re.escape(carers) + r": \d+%", card), card
    assert card_fact(card, "People by group") is not None, card

    matrix = unescape(client.get(f"{base}/matrix").get_data(as_text=True))
    row = matrix[matrix.index(link):].split("</tr>")[0]
    cell = row[row.index(carers):].split("</td>")[0]
    assert "not shown" in cell, cell
    # Nor the carers' total in their column's heading: two people is a group too small to count.
    assert not re.search(re.escape(carers) + r" \(\d+ (?:people|answers)\)", matrix)

    report = flat(docx_text(client.get(f"{base}/report.docx").data))
    assert f"{carers} (not shown)" in report
    assert not re.search(re.escape(carers) + r" \(\d+ people\)", report)


def test_every_count_of_a_group_in_a_theme_is_of_people(client, session, two_carers):
    run, _theme, names, base = two_carers
    people = _people(session, run.id)
    named = {**names, "not said": "Not said"}
    matrix = unescape(client.get(f"{base}/matrix").get_data(as_text=True))
    heads = re.findall(r'role="columnheader"[^>]*>\s*([^<]+?)\s*</th>', matrix)
    assert any(re.search(r"\(\d+ people\)", h) for h in heads) and not any("answers)" in h for h in heads)
    checked = 0
    for (theme_id, segment), n in people.items():
        row = matrix[matrix.index(f"/themes/{run.id}/t/{theme_id}\""):].split("</tr>")[0]
        cell = row[row.index(named[segment]):].split("</td>")[0]
        if "not shown" not in cell:
            assert re.search(r"<strong>(\d+)</strong>", cell).group(1) == str(n), (theme_id, segment, cell)
            checked += 1
    assert checked >= 3
    assert "how many of that group's people have an answer in the theme" in flat(matrix)

    report = flat(docx_text(client.get(f"{base}/report.docx").data))
    shown = re.findall(r"(" + "|".join(map(re.escape, names.values())) + r") \((\d+) people\)", report)
    assert shown and all(int(n) == 0 or int(n) >= 5 for _, n in shown), shown
