"""Themes show how their answers feel as shares (negative, mixed, positive), kept right by edits."""

import io
from collections import Counter

import pytest
from docx import Document
from sqlmodel import select

from surveys.models import Theme, ThemeAssignment

from .helpers import analysed, card_fact


@pytest.fixture
def run(app, session, client):
    return analysed(app, session, client, 60)


def shares(session, theme_id: int) -> str:
    session.expire_all()
    feelings = Counter(session.exec(select(ThemeAssignment.sentiment)
                                    .where(ThemeAssignment.theme_id == theme_id)).all())
    total = sum(feelings.values())
    return ", ".join(f"{round(100 * feelings[c] / total)}% {c}" for c in ("negative", "mixed", "positive"))


def test_every_placed_answer_has_a_feeling_and_themes_show_shares(client, session, run):
    feelings = session.exec(select(ThemeAssignment.sentiment)).all()
    assert feelings and set(feelings) <= {"negative", "mixed", "positive"} and len(set(feelings)) >= 2
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.id)).all()
    board = client.get(run.base).get_data(as_text=True)
    assert "Feeling: " not in board  # never one word for a whole theme
    for t in themes:
        card = board[board.index(f'{run.base}/t/{t.id}"'):].split("</li>")[0]
        assert card_fact(card, "How the answers feel") == shares(session, t.id)
    first, second = themes[:2]
    page = client.get(f"{run.base}/t/{first.id}").get_data(as_text=True)
    assert f"How the answers feel: {shares(session, first.id)}" in page
    body = client.get(f"{run.base}/report.docx").data
    report = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert f"How the answers feel: {shares(session, first.id)}" in report
    # Moving answers moves their feelings with them.
    client.post(f"{run.base}/t/{first.id}", data={"action": "merge", "merge-target": str(second.id)})
    after = shares(session, second.id)
    assert f"How the answers feel: {after}" in client.get(f"{run.base}/t/{second.id}").get_data(as_text=True)
