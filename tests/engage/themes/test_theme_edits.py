"""Every theme edit and its undo; update keeps edits; blind evaluation; the theme × group matrix."""

import re
from html import unescape
from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from engage.sample_responses import add_sample_responses
from surveys.evaluation import agreement
from surveys.models import AnalysisRun, Answer, EvaluationCode, Question, Respondent, Theme, ThemeAssignment

from ...factories import signed_in_lead_with_answers
from .helpers import split_by_word


@pytest.fixture
def run(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done"
    return SimpleNamespace(id=run.id, consultation=consultation,
                           base=f"/manage/{consultation.slug}/themes/{run.id}")


def themes(session, run):
    session.expunge_all()
    return session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                        .order_by(Theme.position)).all()


def placement(session, run):
    session.expunge_all()
    return dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                             .where(ThemeAssignment.run_id == run.id)).all())


def fresh(session, model, key):
    session.expire_all()
    return session.get(model, key)


def undo(client, run):
    response = client.post(f"{run.base}/edit", data={"action": "undo"})
    assert response.status_code == 302, response.data[:500]


def test_rename_and_undo(client, session, run):
    t = themes(session, run)[0]
    original = t.label
    client.post(f"{run.base}/t/{t.id}", data={"action": "rename", "rename-label": "New name",
                                              "rename-description": ""})
    assert fresh(session, Theme, t.id).label == "New name"
    undo(client, run)
    assert themes(session, run)[0].label == original


def test_merge_and_undo_restores_answers(client, session, run):
    first, second = themes(session, run)[:2]
    second_label = second.label
    before = placement(session, run)
    client.post(f"{run.base}/t/{second.id}", data={"action": "merge", "merge-target": str(first.id)})
    after = placement(session, run)
    assert second.id not in after.values()
    undo(client, run)
    restored = placement(session, run)
    labels = {t.id: t.label for t in themes(session, run)}
    # Every answer is back with a theme of the merged theme's name.
    assert {labels[restored[a]] for a, th in before.items() if th == second.id} == {second_label}
    assert len(themes(session, run)) == len(labels)


def test_move_and_undo(client, session, run):
    first, second = themes(session, run)[:2]
    answer = next(a for a, th in placement(session, run).items() if th == second.id)
    client.post(f"{run.base}/t/{second.id}", data={"action": "move", "move-answer": str(answer),
                                                   "move-target": str(first.id)})
    assert placement(session, run)[answer] == first.id
    undo(client, run)
    assert placement(session, run)[answer] == second.id


def test_split_and_undo(client, session, run):
    biggest = max(themes(session, run), key=lambda t: list(placement(session, run).values()).count(t.id))
    count = before = len(themes(session, run))
    assert split_by_word(client, session, run, biggest.id).status_code == 302
    count = len(themes(session, run))
    assert count == before + 1
    undo(client, run)
    assert len(themes(session, run)) == before
    assert list(placement(session, run).values()).count(biggest.id) >= 6


def test_create_review_and_undo(client, session, run):
    client.post(f"{run.base}/edit", data={"action": "create", "label": "Parking"})
    created = [t for t in themes(session, run) if t.label == "Parking"]
    assert len(created) == 1 and created[0].source == "facilitator"
    undo(client, run)
    assert not [t for t in themes(session, run) if t.label == "Parking"]
    t = themes(session, run)[0]
    client.post(f"{run.base}/t/{t.id}", data={"action": "review"})
    assert fresh(session, Theme, t.id).reviewed is True
    undo(client, run)
    assert themes(session, run)[0].reviewed is False


def test_nothing_to_undo_is_explained(client, session, run):
    response = client.post(f"{run.base}/edit", data={"action": "undo"})
    assert response.status_code == 400 and "nothing to undo" in response.data.decode()


def test_update_places_new_answers_and_keeps_edits(client, session, run):
    first = themes(session, run)[0]
    client.post(f"{run.base}/t/{first.id}", data={"action": "rename", "rename-label": "Kept name",
                                                  "rename-description": ""})
    old = placement(session, run)
    session.expunge_all()
    add_sample_responses(session, run.consultation, 20, seed=99)
    session.commit()
    response = client.post(f"{run.base}/edit", data={"action": "update"})
    assert response.status_code == 302
    new = placement(session, run)
    assert len(new) > len(old)
    assert all(new[a] == th for a, th in old.items())  # nobody's answer moved
    assert fresh(session, Theme, first.id).label == "Kept name"
    # Running it again places nothing more.
    client.post(f"{run.base}/edit", data={"action": "update"})
    assert placement(session, run) == new


def test_agreement_on_hand_made_case():
    pairs = [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("b", "a"), ("c", "c"),
             ("none", "c")]
    result = agreement(pairs)
    assert result["n"] == 8 and result["agreement"] == pytest.approx(5 / 8)
    # Cohen's kappa by hand: po = 5/8; pe = sum(p_h * p_m) over labels.
    pe = (3 / 8) * (3 / 8) + (3 / 8) * (3 / 8) + (1 / 8) * (2 / 8) + (1 / 8) * 0
    assert result["kappa"] == pytest.approx((5 / 8 - pe) / (1 - pe))
    assert result["per_theme"]["a"] == {"facilitator": 3, "model": 3, "both": 2, "agreement": 0.5}
    assert result["per_theme"]["c"]["agreement"] == 0.5


def test_blind_check_through_the_pages(client, session, run):
    client.post(f"{run.base}/check", data={"action": "start", "size": "20"})
    page = client.get(f"{run.base}/check").data.decode()
    assert "Which theme does this answer belong to?" in page
    placed = placement(session, run)
    codes = session.exec(select(EvaluationCode).where(EvaluationCode.run_id == run.id)).all()
    assert len(codes) == 20
    # The page must not reveal the model's choice.
    assert "Engage put this answer" in page and 'checked' not in page
    # Agree with the model on every answer but the first.
    for i, c in enumerate(sorted(codes, key=lambda c: c.position)):
        choice = str(placed[c.answer_id]) if c.answer_id in placed and i else "none"
        if i == 0 and c.answer_id not in placed:
            choice = str(themes(session, run)[0].id)
        client.post(f"{run.base}/check", data={"code": str(c.id), "theme": choice})
    result_page = client.get(f"{run.base}/check").data.decode()
    assert "Agreement on 20 answers" in result_page and "95%" in result_page
    session.expunge_all()
    assert fresh(session, AnalysisRun, run.id).metrics["evaluation"]["agreement"] == pytest.approx(0.95)


def test_matrix_shows_groups_and_suppresses_small_ones(client, session, run):
    page = client.get(f"{run.base}/matrix").data.decode()
    # Groups are named by the segment question's labels.
    assert "I am a patient or have been one recently (" in page and "I work for the NHS (" in page
    assert "fewer than 5" in page  # some theme/group cells are small with 60 responses
    assert "How views changed after reading the briefings" in page
    assert "moved towards human connection" in page
    n = session.exec(select(func.count()).select_from(Respondent)).one()
    assert n == 60


def test_the_board_gives_no_share_of_a_group_smaller_than_the_minimum(client, session, run):
    """As the matrix and the report: a group of fewer than 5 people in a theme is not broken down
    (the board said "I look after someone who uses the NHS (a carer) 9%" for 4 people)."""
    page = unescape(client.get(run.base).get_data(as_text=True))
    counts = session.exec(select(ThemeAssignment.theme_id, Respondent.segment, func.count())
                          .join(Answer, Answer.id == ThemeAssignment.answer_id)
                          .join(Respondent, Respondent.id == Answer.respondent_id)
                          .where(ThemeAssignment.run_id == run.id)
                          .group_by(ThemeAssignment.theme_id, Respondent.segment)).all()
    names = {"carer": "I look after someone who uses the NHS (a carer)",
             "public": "I am a member of the public",
             "patient": "I am a patient or have been one recently", "staff": "I work for the NHS"}
    said = {"small": 0, "shown": 0}
    for theme_id, segment, n in counts:
        link = f"/themes/{run.id}/t/{theme_id}\""
        if segment not in names or link not in page:
            continue
        card = page[page.index(link):].split("</li>")[0]
        share = re.search(re.escape(names[segment]) + r": (\d+%|fewer than 5)", card).group(1)
        assert (share == "fewer than 5") == (n < 5), (theme_id, segment, n, share)
        said["small" if n < 5 else "shown"] += 1
    assert said["small"] and said["shown"], said  # the fixture has both kinds


def test_blind_check_matches_by_theme_not_by_name(client, session, run):
    first, second = themes(session, run)[:2]
    # Two themes with one name (as older runs could have): choosing one where Engage put the other
    # is a disagreement.
    second.label = first.label
    session.add(second)
    session.commit()
    client.post(f"{run.base}/check", data={"action": "start", "size": "50"})
    page = client.get(f"{run.base}/check").data.decode()
    assert f"{first.label} (" in page  # the two are told apart on the coding page
    placed = placement(session, run)
    codes = session.exec(select(EvaluationCode).where(EvaluationCode.run_id == run.id)).all()
    swap = {first.id: second.id, second.id: first.id}
    crossed = 0
    for c in codes:
        model = placed.get(c.answer_id)
        choice = swap.get(model, model)
        crossed += model in swap
        client.post(f"{run.base}/check", data={"code": str(c.id), "theme": str(choice) if choice else "none"})
    assert crossed > 0
    result_page = client.get(f"{run.base}/check").data.decode()
    expected = (len(codes) - crossed) / len(codes)
    session.expunge_all()
    assert fresh(session, AnalysisRun, run.id).metrics["evaluation"]["agreement"] == pytest.approx(expected)
    assert f"{round(100 * expected)}%" in result_page
