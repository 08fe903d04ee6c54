"""Theme analysis in the workspace: a run stores themes, edits are kept and audited, exports are safe."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import escape
from openpyxl import load_workbook
from sqlmodel import func, select

from surveys.models import AnalysisRun, Answer, AuditEvent, Question, Theme, ThemeAssignment

from ...factories import PASSWORD, demo_consultation, signed_in_lead_with_answers, user


@pytest.fixture
def setup(app, session, client):
    return signed_in_lead_with_answers(app, session, client, 80)


def start(client, session, consultation):
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    response = client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    assert response.status_code == 302, response.data[:1000]
    session.expire_all()
    return session.exec(select(AnalysisRun)).one()


def test_run_produces_themes_in_database(client, session, setup):
    run = start(client, session, setup)
    assert run.status == "done", run.error
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).all()
    assert len(themes) >= 2
    assert all(t.label and t.keywords for t in themes)
    placed = session.exec(select(func.count()).select_from(ThemeAssignment)).one()
    assert placed == run.metrics["placed"] > 0
    board = client.get(f"/manage/{setup.slug}/themes/{run.id}").data.decode()
    for t in themes:
        assert str(escape(t.label)) in board
    status = client.get(f"/manage/{setup.slug}/themes/{run.id}/status.json").get_json()
    assert status == {"status": "done", "step": "Finished", "progress": 1.0, "error": None, "busy": False}


def test_board_says_what_was_analysed_and_sub_themes_are_read_on_their_theme(client, session, setup):
    run = start(client, session, setup)
    board = client.get(f"/manage/{setup.slug}/themes/{run.id}").data.decode()
    assert f"{run.metrics['placed']} written answers placed in" in board
    assert "Questions analysed (4)" in board and "What matters most to you" in board
    # Thousands are grouped, as everywhere else ("1752 written answers" was hard to read).
    run.metrics = {**run.metrics, "placed": 12345, "answers": 14000}
    session.add(run)
    session.commit()
    board = client.get(f"/manage/{setup.slug}/themes/{run.id}").data.decode()
    assert "12,345 written answers placed in" in board and "1,655 more were empty" in board
    parent = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).first()
    quoted = session.exec(select(ThemeAssignment).where(ThemeAssignment.theme_id == parent.id)).first()
    quoted_text = session.get(Answer, quoted.answer_id).text_redacted
    sub = Theme(run_id=run.id, parent_id=parent.id, label="A narrower idea", quote_ids=[quoted.answer_id])
    session.add(sub)
    session.commit()
    base = f"/manage/{setup.slug}/themes/{run.id}/t"
    page = client.get(f"{base}/{parent.id}").data.decode()
    assert f"<strong>A narrower idea</strong>: <q>{escape(quoted_text)}</q>" in page
    response = client.get(f"{base}/{sub.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{base}/{parent.id}")


def test_the_board_shows_its_themes_before_the_controls_that_change_them(client, session, setup):
    run = start(client, session, setup)
    board = client.get(f"/manage/{setup.slug}/themes/{run.id}").data.decode()
    first_theme = board.index('class="nhsuk-card__link"')
    changes = board.index('<h2 id="change-themes">Change the themes</h2>')
    assert board.index("Add new answers to these themes") < first_theme < changes
    assert changes < board.index("Create a theme") and changes < board.index("start a new analysis")


def test_too_few_answers_fails_with_reason_and_can_retry(client, session, app):
    app.config["JOBS_INLINE"] = True
    consultation = demo_consultation(session)
    user(session, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    run = start(client, session, consultation)
    assert run.status == "failed" and "only 0 written answers" in run.error
    page = client.get(f"/manage/{consultation.slug}/themes/{run.id}").data.decode()
    assert "did not finish" in page and "only 0 written answers" in page
    assert session.exec(select(func.count()).select_from(Theme)).one() == 0
    response = client.post(f"/manage/{consultation.slug}/themes/{run.id}/retry")
    assert response.status_code == 302
    assert session.exec(select(func.count()).select_from(AnalysisRun)).one() == 2


def test_a_run_that_died_with_its_process_is_shown_failed_and_can_be_retried(client, session, setup):
    run = AnalysisRun(consultation_id=setup.id, question_ids=[], status="running", step="Clustering",
                      progress=0.4, created_at=datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=3))
    fresh = AnalysisRun(consultation_id=setup.id, question_ids=[], status="running", step="Clustering",
                        progress=0.4)
    session.add_all([run, fresh])
    session.commit()
    status = client.get(f"/manage/{setup.slug}/themes/{run.id}/status.json").get_json()
    assert status["status"] == "failed" and "stopped without finishing" in status["error"]
    assert client.get(f"/manage/{setup.slug}/themes/{fresh.id}/status.json").get_json()["status"] == "running"
    assert client.post(f"/manage/{setup.slug}/themes/{run.id}/retry").status_code == 302
    assert client.post(f"/manage/{setup.slug}/themes/{fresh.id}/retry").status_code == 400


def test_rename_merge_move_review_are_kept_and_audited(client, session, setup):
    run = start(client, session, setup)
    first, second = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                                 .order_by(Theme.position)).all()[:2]
    url = f"/manage/{setup.slug}/themes/{run.id}/t/{first.id}"
    client.post(url, data={"action": "rename", "rename-label": "Seeing a real person",
                           "rename-description": "People want time with staff"})
    client.post(url, data={"action": "review"})
    answer_id = session.exec(select(ThemeAssignment.answer_id)
                             .where(ThemeAssignment.theme_id == second.id)).first()
    client.post(f"/manage/{setup.slug}/themes/{run.id}/t/{second.id}",
                data={"action": "move", "move-answer": str(answer_id), "move-target": str(first.id)})
    session.expire_all()
    renamed = session.get(Theme, first.id)
    assert (renamed.label, renamed.reviewed) == ("Seeing a real person", True)
    moved = session.exec(select(ThemeAssignment).where(ThemeAssignment.answer_id == answer_id)).one()
    assert (moved.theme_id, moved.source) == (first.id, "facilitator")
    before = session.exec(select(func.count()).select_from(ThemeAssignment)).one()
    client.post(f"/manage/{setup.slug}/themes/{run.id}/t/{second.id}",
                data={"action": "merge", "merge-target": str(first.id)})
    session.expunge_all()
    assert session.exec(select(func.count()).select_from(Theme).where(Theme.id == second.id)).one() == 0
    assert session.exec(select(func.count()).select_from(ThemeAssignment)).one() == before
    actions = set(session.exec(select(AuditEvent.action)).all())
    assert {"theme.rename", "theme.review", "theme.move_answer", "theme.merge"} <= actions


def test_bad_edit_changes_nothing(client, session, setup):
    run = start(client, session, setup)
    theme = session.exec(select(Theme).where(Theme.run_id == run.id)).first()
    response = client.post(f"/manage/{setup.slug}/themes/{run.id}/t/{theme.id}",
                           data={"action": "rename", "rename-label": "x" * 300})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(Theme, theme.id).label == theme.label


def test_exports_parse_back_redacted_and_formula_safe(client, session, setup):
    from surveys.models import Answer
    run = start(client, session, setup)
    # A hostile answer that a spreadsheet would run as a formula.
    a = session.exec(select(Answer).join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)).first()
    a.text_redacted = "=HYPERLINK(\"http://evil\")"
    session.add(a)
    session.commit()
    base = f"/manage/{setup.slug}/themes/{run.id}"
    rows = list(csv.reader(io.StringIO(client.get(f"{base}/answers.csv").data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Answer number", "Respondent number", "Question", "Answer", "Theme"]
    texts = [r[3] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://evil\")" in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    # Sample answers include a phone number and a name after a title: never exported.
    assert not any("07700" in t or "Mrs Patel" in t for t in texts)
    labels = {t.label for t in session.exec(select(Theme).where(Theme.run_id == run.id))}
    assert {r[4] for r in rows[1:]} - {"No theme"} <= labels
    wb = load_workbook(io.BytesIO(client.get(f"{base}/answers.xlsx").data))
    cells = [row[3] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil\")" in cells and len(cells) == len(texts)
    data = json.loads(client.get(f"{base}/analysis.json").data)
    assert {t["label"] for t in data["themes"]} == labels
    assert len(data["answers"]) == len(texts)
    exports = session.exec(select(AuditEvent.action).where(AuditEvent.action.like("export.%"))).all()
    assert sorted(exports) == ["export.csv", "export.json", "export.xlsx"]


def test_people_without_access_are_refused(client, session, app):
    app.config["JOBS_INLINE"] = True
    consultation = demo_consultation(session)
    user(session, "other@example.nhs.uk", "facilitator")
    assert client.get(f"/manage/{consultation.slug}/themes/").status_code == 302  # to sign in
    client.post("/account/sign-in", data={"email": "other@example.nhs.uk", "password": PASSWORD})
    assert client.get(f"/manage/{consultation.slug}/themes/").status_code == 403
    assert client.post(f"/manage/{consultation.slug}/themes/", data={"questions": [1]}).status_code == 403
    assert session.exec(select(func.count()).select_from(AnalysisRun)).one() == 0
