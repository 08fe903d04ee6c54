"""An edit the theme board refuses shows the board again, saying why at the top and beside the
edit's field, with the name typed kept, and changes nothing (it was a bare error page)."""

import re
from html import unescape
from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from surveys.models import AnalysisRun, Question, Theme, ThemeAssignment, ThemeEdit

from ...factories import signed_in_lead_with_answers
from .helpers import PARKING
from .test_proposals import add_answers, post


@pytest.fixture
def run(app, session, client):
    """A finished analysis of one written question's 60 answers (as in the proposals' tests)."""
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    question = session.exec(select(Question).where(Question.type == "text")
                            .order_by(Question.page_id, Question.position)).first()
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": [question.id]})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    return SimpleNamespace(id=run.id, consultation_id=consultation.id, question_id=question.id,
                           base=f"/manage/{consultation.slug}/themes/{run.id}")


def state(session, run) -> tuple:
    """Everything a board edit could change: the themes, where each answer is, the edit log, the run."""
    session.expire_all()
    themes = session.exec(select(Theme.id, Theme.label, Theme.parent_id).where(Theme.run_id == run.id)
                          .order_by(Theme.id)).all()
    placed = session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                          .where(ThemeAssignment.run_id == run.id).order_by(ThemeAssignment.answer_id)).all()
    edits = session.exec(select(func.count()).select_from(ThemeEdit).where(ThemeEdit.run_id == run.id)).one()
    return themes, placed, edits, session.get(AnalysisRun, run.id).metrics


def refused(response, field: str, message: str) -> str:
    """The board, with ``message`` in its error summary linking to ``field``, and beside it."""
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400, page[:800]
    assert "<title>Error:" in page and "There is a problem" in page and "<h1>Themes</h1>" in page
    summary = page.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert f'href="#{field}"' in summary and message in summary
    error_id = field if field.endswith("-error") else f"{field}-error"
    beside = page.split(f'id="{error_id}"')[1].split("</span>\n</span>")[0]
    assert message in beside
    return page


def test_a_new_theme_with_a_name_already_used_is_said_beside_the_name_which_is_kept(client, session, run):
    taken = session.exec(select(Theme.label).where(Theme.run_id == run.id)).first()
    before = state(session, run)
    response = client.post(f"{run.base}/edit", data={"action": "create", "label": taken})
    page = refused(response, "new-theme", f"Another theme is already called “{taken}”")
    assert f'value="{taken}"' in page.split('id="new-theme"')[1].split(">")[0]
    assert state(session, run) == before


def test_a_new_theme_named_only_with_spaces_is_said_beside_the_name(client, session, run):
    before = state(session, run)
    response = client.post(f"{run.base}/edit", data={"action": "create", "label": "   "})
    page = refused(response, "new-theme", "Enter a theme name of 1 to 200 characters.")
    assert 'value="   "' in page.split('id="new-theme"')[1].split(">")[0]
    assert state(session, run) == before


def test_undo_with_nothing_to_undo_is_said_on_the_board(client, session, run):
    before = state(session, run)
    response = client.post(f"{run.base}/edit", data={"action": "undo"})
    refused(response, "board-error", "There is nothing to undo.")
    assert state(session, run) == before


def test_an_impossible_number_of_broader_themes_is_said_beside_the_list(client, session, run):
    before = state(session, run)
    response = client.post(f"{run.base}/edit", data={"action": "broaden", "count": "1"})
    refused(response, "broader-count", "Choose a number of themes from 2")
    assert state(session, run) == before


def test_accepting_a_proposal_already_taken_is_said_on_the_board(client, session, run):
    parking = add_answers(session, run, PARKING)
    post(client, f"{run.base}/edit", {"action": "update"})
    post(client, f"{run.base}/waiting", {"action": "accept", "proposal": str(min(parking))})
    before = state(session, run)
    # A second page, loaded before the proposal was added, adds it again.
    response = client.post(f"{run.base}/waiting", data={"action": "accept", "proposal": str(min(parking))})
    refused(response, "board-error", "That proposed theme is no longer there.")
    assert state(session, run) == before


def test_a_proposal_taken_while_other_answers_wait_is_said_beside_them(client, session, run):
    parking = add_answers(session, run, PARKING)
    post(client, f"{run.base}/edit", {"action": "update"})
    before = state(session, run)
    response = client.post(f"{run.base}/waiting", data={"action": "accept", "proposal": "12345"})
    refused(response, "waiting-error", "That proposed theme is no longer there.")
    assert state(session, run) == before
    assert parking


def test_the_board_forms_addresses_opened_again_lead_to_the_board(client, session, run):
    for form in ("edit", "waiting"):
        response = client.get(f"{run.base}/{form}")
        assert response.status_code == 302 and response.headers["Location"].endswith(run.base)


def test_undo_from_a_page_loaded_before_a_later_change_undoes_nothing_and_says_so(client, session, run):
    themes = session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.position)).all()
    assert client.post(f"{run.base}/t/{themes[0]}",
                       data={"action": "merge", "merge-target": themes[1]}).status_code == 302
    stale = client.get(run.base).get_data(as_text=True)
    assert "Undo the merge" in stale
    merge_id = re.search(r'name="edit" value="(\d+)"', stale).group(1)
    # Another tab, or a colleague, then moves an answer.
    answer = session.exec(select(ThemeAssignment.answer_id)
                          .where(ThemeAssignment.theme_id == themes[2])).first()
    assert client.post(f"{run.base}/t/{themes[2]}", data={"action": "move", "move-answer": answer,
                                                         "move-target": themes[3]}).status_code == 302
    before = state(session, run)
    response = client.post(f"{run.base}/edit", data={"action": "undo", "edit": merge_id})
    page = refused(response, "board-error", "that is no longer the last change. Nothing was undone.")
    assert "Undo moving an answer" in page
    assert state(session, run) == before
    # The button on the page shown now undoes what it says.
    latest = re.search(r'name="edit" value="(\d+)"', page).group(1)
    assert client.post(f"{run.base}/edit", data={"action": "undo", "edit": latest}).status_code == 302
    session.expire_all()
    assert session.exec(select(ThemeAssignment.theme_id).where(ThemeAssignment.answer_id == answer)).one() \
        == themes[2]
    assert session.get(Theme, themes[0]) is None  # the merge stays
