"""Fewer, broader or more, narrower themes from the board: cuts of the run's own theme tree (no
refit), every answer kept, names unique, and undone exactly."""

import re

import numpy as np
import pytest
from sqlmodel import select

from analysis.cluster import theme_tree
from surveys import theme_runs
from surveys.models import AnalysisRun, EvaluationCode, Theme, ThemeAssignment

from ...factories import signed_in_lead_with_answers


@pytest.fixture
def board(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 120)
    qids = [q.id for q in theme_runs.analysable_questions(session, consultation)]
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    return f"/manage/{consultation.slug}/themes/{run.id}", run.id


def state(session, run_id):
    """Every theme and placing of the run, row for row."""
    session.expire_all()
    themes = sorted((t.id, t.parent_id, t.label, tuple(t.keywords), tuple(t.quote_ids), t.position, t.source)
                    for t in session.exec(select(Theme).where(Theme.run_id == run_id)))
    placings = sorted((a.id, a.answer_id, a.theme_id, a.subtheme_id, a.source)
                      for a in session.exec(select(ThemeAssignment).where(ThemeAssignment.run_id == run_id)))
    return themes, placings


def top(session, run_id):
    session.expire_all()
    return session.exec(select(Theme).where(Theme.run_id == run_id, Theme.parent_id.is_(None))).all()


def test_the_tree_joins_the_most_alike_themes_first():
    centres = np.array([[1, 0, 0], [0, 1, 0], [0.98, 0.2, 0], [0, 0, 1]], dtype=float)
    merges = theme_tree(centres, np.array([40, 30, 20, 10]))
    assert merges[0] == (0, 2)  # the two nearly equal centres, led by the larger theme
    assert len(merges) == 3 and {a for a, _ in merges} | {b for _, b in merges} == {0, 1, 2, 3}


def test_fewer_broader_themes_keep_every_answer_and_undo_exactly(client, session, board):
    base, run_id = board
    before = state(session, run_id)
    k = len(top(session, run_id))
    page = client.get(base).get_data(as_text=True)
    offered = [int(n) for n in re.findall(r'<option value="(\d+)"', page)]
    assert offered and all(2 <= n < k for n in offered), offered
    count = min(offered)
    response = client.post(f"{base}/edit", data={"action": "broaden", "count": count})
    assert response.status_code == 302
    themes = top(session, run_id)
    assert len(themes) == count
    assert len({t.label.casefold() for t in themes}) == count  # unique names
    placed_before = {p[1] for p in before[1]}
    after = state(session, run_id)
    assert {p[1] for p in after[1]} == placed_before  # no answer lost or added
    broad = [t for t in themes if t.source == "facilitator"]
    assert broad and all(t.description.startswith("Brings together: ") for t in broad)
    for t in broad:  # each broad theme's answers sit in one of its sub-themes (the themes it joined)
        subs = {s.id for s in session.exec(select(Theme).where(Theme.parent_id == t.id))}
        rows = [p for p in after[1] if p[2] == t.id]
        assert len(subs) >= 2 and rows and all(p[3] in subs for p in rows)
    board_page = client.get(base).get_data(as_text=True)
    assert "Undo grouping into fewer, broader themes" in board_page
    assert client.post(f"{base}/edit", data={"action": "undo"}).status_code == 302
    assert state(session, run_id) == before


def test_more_narrower_themes_bring_sub_themes_out_and_undo_exactly(client, session, board):
    base, run_id = board
    before = state(session, run_id)
    offered = [int(n) for n in re.findall(r'<option value="(\d+)"', client.get(base).get_data(as_text=True))]
    client.post(f"{base}/edit", data={"action": "broaden", "count": min(offered)})
    grouped = state(session, run_id)
    subs = [t for t in grouped[0] if t[1] is not None]
    page = client.get(base).get_data(as_text=True)
    assert "Split into narrower themes" in page
    # Themes and sub-themes are counted apart, and the count of themes it would make is the count made.
    said = re.search(r"More, narrower themes: (\d+) of the (\d+) themes ha(?:s|ve) sub-themes "
                     r"\((\d+) in all\)\. Each sub-theme becomes a theme of its own, making (\d+) themes\.",
                     page)
    assert said, page[page.index("How many themes"):]
    parents, now, in_all, making = map(int, said.groups())
    assert (parents, now, in_all) == (len({t[1] for t in subs}), len(top(session, run_id)), len(subs))
    assert client.post(f"{base}/edit", data={"action": "narrow"}).status_code == 302
    themes = top(session, run_id)
    assert len(themes) == making
    assert len(themes) >= len(subs)
    assert len({t.label.casefold() for t in themes}) == len(themes)
    after = state(session, run_id)
    assert {p[1] for p in after[1]} == {p[1] for p in before[1]}
    assert all(p[3] is None for p in after[1])  # no sub-themes left
    client.post(f"{base}/edit", data={"action": "undo"})
    assert state(session, run_id) == grouped
    client.post(f"{base}/edit", data={"action": "undo"})
    assert state(session, run_id) == before


def test_blind_check_codes_follow_their_theme_into_its_broad_theme(client, session, board):
    base, run_id = board
    assert client.post(f"{base}/check", data={"action": "start", "size": 20}).status_code == 302
    session.expire_all()
    codes = session.exec(select(EvaluationCode).where(EvaluationCode.run_id == run_id)).all()
    named = {}
    for code, theme in zip(codes, top(session, run_id), strict=False):  # each code names a theme
        code.theme_id = theme.id
        session.add(code)
        named[code.id] = theme.id
    session.commit()
    offered = [int(n) for n in re.findall(r'<option value="(\d+)"', client.get(base).get_data(as_text=True))]
    client.post(f"{base}/edit", data={"action": "broaden", "count": min(offered)})
    session.expire_all()
    for code_id, theme_id in named.items():
        theme = session.get(Theme, theme_id)
        expected = theme.parent_id or theme.id  # joined themes hand their codes to the broad theme
        assert session.get(EvaluationCode, code_id).theme_id == expected


@pytest.mark.parametrize("count, message", [("1", "Choose a number of themes from 2"),
                                            ("100000", "Choose a number of themes from 2"),
                                            ("", "Choose how many themes you want")])
def test_impossible_counts_are_refused_with_a_reason(client, session, board, count, message):
    base, run_id = board
    before = state(session, run_id)
    response = client.post(f"{base}/edit", data={"action": "broaden", "count": count})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert state(session, run_id) == before
