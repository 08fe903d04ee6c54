"""Undo reads the run's own edit log and puts back exactly what each edit changed."""

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from surveys.models import (
    AnalysisRun,
    AuditEvent,
    EvaluationCode,
    Theme,
    ThemeAssignment,
    ThemeEdit,
)

from .helpers import analysed, split_by_word, splitting_word


@pytest.fixture
def run(app, session, client):
    return analysed(app, session, client, 60)


def state(session) -> dict:
    """Every row of every table that theme edits touch, column for column, in id order."""
    session.expire_all()
    session.expunge_all()
    out = {}
    for model in (AnalysisRun, Theme, ThemeAssignment, EvaluationCode, ThemeEdit):
        out[model.__tablename__] = [r.model_dump() for r in session.exec(select(model).order_by(model.id))]
    return out


def top_themes(session, run) -> list[SimpleNamespace]:
    session.expire_all()
    return [SimpleNamespace(id=t.id, label=t.label)
            for t in session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                                  .order_by(Theme.id))]


def members(session, theme_id: int) -> list[int]:
    return session.exec(select(ThemeAssignment.answer_id).where(ThemeAssignment.theme_id == theme_id)
                        .order_by(ThemeAssignment.answer_id)).all()


def undo(client, run):
    response = client.post(f"{run.base}/edit", data={"action": "undo"})
    assert response.status_code == 302, response.data[:500]


def test_undo_finds_this_runs_edit_after_more_than_500_edits_in_another_run(client, session, run):
    theme = top_themes(session, run)[0]
    original = theme.label
    client.post(f"{run.base}/t/{theme.id}", data={"action": "rename", "rename-label": "Mine",
                                                  "rename-description": ""})
    other = AnalysisRun(consultation_id=run.consultation.id, question_ids=[], status="done",
                        metrics={"answers": 0, "placed": 0, "themes": 1})
    session.add(other)
    session.flush()
    other_theme = Theme(run_id=other.id, label="Elsewhere")
    session.add(other_theme)
    session.commit()
    other_base = f"/manage/{run.consultation.slug}/themes/{other.id}"
    for _ in range(501):
        response = client.post(f"{other_base}/t/{other_theme.id}", data={"action": "review"})
        assert response.status_code == 302
    newer = session.exec(select(AuditEvent).where(AuditEvent.action == "theme.review")).all()
    assert len(newer) == 501  # the audit trail still records every edit
    undo(client, run)
    session.expire_all()
    assert session.get(Theme, theme.id).label == original
    assert session.get(Theme, other_theme.id).reviewed is True  # 501 toggles: the other run untouched


def test_merge_undone_brings_back_the_same_theme_its_sub_themes_and_keywords(client, session, run):
    first, second = top_themes(session, run)[:2]
    session.add(Theme(run_id=run.id, parent_id=second.id, label="A narrower idea"))
    session.commit()
    start = state(session)
    client.post(f"{run.base}/t/{second.id}", data={"action": "merge", "merge-target": str(first.id)})
    session.expire_all()
    assert session.get(Theme, second.id) is None
    undo(client, run)
    assert state(session) == start


def test_move_and_split_undone_leave_answers_placed_by_the_model(client, session, run):
    start = state(session)
    biggest = max(top_themes(session, run), key=lambda t: len(members(session, t.id)))
    other = next(t for t in top_themes(session, run) if t.id != biggest.id)
    answer = members(session, other.id)[0]
    client.post(f"{run.base}/t/{other.id}", data={"action": "move", "move-answer": str(answer),
                                                  "move-target": str(biggest.id)})
    assert split_by_word(client, session, run, biggest.id).status_code == 302
    undo(client, run)
    undo(client, run)
    assert state(session) == start
    assert {a.source for a in session.exec(select(ThemeAssignment))} == {"auto"}


def test_every_edit_undone_in_turn_then_nothing_left_to_undo(client, session, run):
    start = state(session)
    first, second, third = top_themes(session, run)[:3]
    client.post(f"{run.base}/t/{first.id}", data={"action": "rename", "rename-label": "Renamed",
                                                  "rename-description": "Said why"})
    client.post(f"{run.base}/t/{third.id}", data={"action": "merge", "merge-target": str(second.id)})
    answer = members(session, first.id)[0]
    client.post(f"{run.base}/t/{first.id}", data={"action": "move", "move-answer": str(answer),
                                                  "move-target": str(second.id)})
    assert split_by_word(client, session, run, second.id).status_code == 302
    client.post(f"{run.base}/edit", data={"action": "create", "label": "Parking"})
    assert len(session.exec(select(ThemeEdit)).all()) == 5
    for _ in range(5):
        undo(client, run)
    assert state(session) == start
    response = client.post(f"{run.base}/edit", data={"action": "undo"})
    assert response.status_code == 400 and "nothing to undo" in response.data.decode()


EDITS = ("rename", "merge", "split", "move", "create", "review")


@settings(max_examples=10, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_sequence_of_edits_undone_in_full_gives_back_the_starting_state(client, session, run, data):
    # Each example starts from the state the previous one restored, so a failure cannot hide.
    start = state(session)
    done = 0
    for _ in range(data.draw(st.integers(1, 6), label="edits")):
        themes = top_themes(session, run)
        theme = data.draw(st.sampled_from(themes), label="theme")
        others = [t for t in themes if t.id != theme.id]
        kind = data.draw(st.sampled_from(EDITS), label="kind")
        url, form = f"{run.base}/t/{theme.id}", {"action": kind}
        if kind == "rename":
            label = st.text(st.characters(codec="utf-8", exclude_categories=("Cc",)), min_size=1, max_size=40)
            form |= {"rename-label": data.draw(label, label="label"), "rename-description": ""}
        elif kind in ("merge", "move"):
            if not others:
                continue
            target = data.draw(st.sampled_from(others), label="target").id
            form[f"{kind}-target"] = str(target)
            if kind == "move":
                answers = members(session, theme.id)
                if not answers:
                    continue
                form["move-answer"] = str(data.draw(st.sampled_from(answers), label="answer"))
        elif kind == "create":
            url, form = f"{run.base}/edit", {"action": "create", "label": f"New {done}"}
        elif kind == "split":
            subs = session.exec(select(Theme.id).where(Theme.parent_id == theme.id)).all()
            chosen = (data.draw(st.lists(st.sampled_from(subs), max_size=len(subs)), label="subs")
                      if subs else [])
            url = f"{run.base}/t/{theme.id}/split"
            if chosen:
                form = {"sub": [str(i) for i in chosen]}
            else:
                answers = members(session, theme.id)
                if len(answers) < 2:
                    continue
                form = {"phrase": splitting_word(session, theme.id)}
        response = client.post(url, data=form)
        assert response.status_code in (302, 400), response.data[:300]
        logged = len(session.exec(select(ThemeEdit)).all())
        assert logged == done + (response.status_code == 302)  # each edit made is logged once
        done = logged
    for _ in range(done):
        undo(client, run)
    assert state(session) == start


def test_the_board_says_what_undo_will_undo(client, session, run):
    assert "Undo " not in client.get(run.base).get_data(as_text=True)
    theme = top_themes(session, run)[0]
    client.post(f"{run.base}/t/{theme.id}", data={"action": "rename", "rename-label": "Mine",
                                                  "rename-description": ""})
    assert "Undo renaming a theme" in client.get(run.base).get_data(as_text=True)
