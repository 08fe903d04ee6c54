"""Withdrawal and purge take a person's words out of theme analysis: quotes, pages, exports, reports."""

import io
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from docx import Document
from markupsafe import escape
from sqlmodel import select

from engage.cli import main
from surveys import theme_runs
from surveys.models import AnalysisRun, Answer, Respondent, Theme, ThemeAssignment, ThemeEdit, utcnow
from surveys.theme_runs import seen

from ...factories import signed_in_lead_with_answers


@pytest.fixture
def run(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    qids = [q.id for q in theme_runs.analysable_questions(session, consultation)]
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    return SimpleNamespace(id=run.id, consultation=consultation,
                           base=f"/manage/{consultation.slug}/themes/{run.id}")


def strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    return "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def everything_shown(client, session, run) -> dict[str, str]:
    """Every place a run shows or exports text: board, each theme page, JSON, Word report."""
    session.expire_all()
    ids = session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).all()
    pages = {"board": client.get(run.base).get_data(as_text=True)}
    for theme_id in ids:
        pages[f"theme {theme_id}"] = client.get(f"{run.base}/t/{theme_id}").get_data(as_text=True)
    response = client.get(f"{run.base}/analysis.json")
    assert response.status_code == 200
    pages["analysis.json"] = "\n".join(strings(json.loads(response.data)))
    response = client.get(f"{run.base}/report.docx")
    assert response.status_code == 200
    pages["report.docx"] = docx_text(response.data)
    return pages


def shown_in(words: str, pages: dict[str, str]) -> list[str]:
    return [name for name, text in pages.items() if words in text or str(escape(words)) in text]


def quoted_answer(session, run) -> tuple[Theme, Answer]:
    """A theme's first quote: on its board card, its page, in the JSON and the report."""
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.position)).all()
    quoted = [t for t in themes if t.quote_ids]
    return quoted[0], session.get(Answer, quoted[0].quote_ids[0])


def test_a_withdrawn_persons_words_leave_quotes_pages_exports_and_reports(client, session, run):
    theme, answer = quoted_answer(session, run)
    words = answer.text_redacted
    # Everyone who wrote these words (sample answers repeat) takes them back.
    # (Once each: one person may have written them in answer to two questions.)
    writers = session.exec(select(Respondent).join(Answer, Answer.respondent_id == Respondent.id)
                           .where(Answer.text_redacted.contains(words)).distinct()).all()
    other = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None),
                                             Theme.id != theme.id)).first()
    # An edit logged before the withdrawal holds the answers' placings, to be undone after it.
    response = client.post(f"{run.base}/t/{other.id}",
                           data={"action": "merge", "merge-target": str(theme.id)})
    assert response.status_code == 302
    before = everything_shown(client, session, run)
    assert {"board", "analysis.json", "report.docx"} <= set(shown_in(words, before))
    gone = set(session.exec(select(Answer.id).where(Answer.respondent_id.in_([w.id for w in writers]))))
    assert gone & seen(session, run)  # the run learnt from their answers
    for writer in writers:
        response = client.post(f"/c/{run.consultation.slug}/withdraw/confirm",
                               data={"reference": writer.reference})
        assert "Your answers have been deleted" in response.get_data(as_text=True)
    after = everything_shown(client, session, run)
    assert shown_in(words, after) == []
    session.expire_all()
    stored = session.get(AnalysisRun, run.id)
    assert not gone & seen(session, stored)
    assert not any(gone & set(t.quote_ids) for t in session.exec(select(Theme)))
    logged = {a["answer_id"] for e in session.exec(select(ThemeEdit)) for a in e.before["assignments"]}
    assert logged and not gone & logged
    # Undoing the earlier edit brings back the theme, not the withdrawn answers.
    assert client.post(f"{run.base}/edit", data={"action": "undo"}).status_code == 302
    placed = set(session.exec(select(ThemeAssignment.answer_id)))
    assert not gone & placed
    assert shown_in(words, everything_shown(client, session, run)) == []


def test_purge_leaves_no_words_in_any_analysis(runner, client, session, run):
    words = [session.get(Answer, i).text_redacted
             for t in session.exec(select(Theme).where(Theme.run_id == run.id)) for i in t.quote_ids]
    assert words and all(shown_in(w, everything_shown(client, session, run)) for w in words[:3])
    consultation = run.consultation
    consultation.status = "closed"
    consultation.closes_at = utcnow() - timedelta(days=consultation.retention_days + 1)
    session.add(consultation)
    session.commit()
    result = runner.invoke(main, ["purge"])
    assert result.exit_code == 0, result.output
    after = everything_shown(client, session, run)
    assert [w for w in words if shown_in(w, after)] == []
    session.expire_all()
    stored = session.get(AnalysisRun, run.id)
    assert seen(session, stored) == set() and stored.metrics["placed"] == stored.metrics["answers"] == 0
    assert all(t.quote_ids == [] for t in session.exec(select(Theme)))


def test_a_keyword_only_a_withdrawn_person_used_leaves_the_theme(client, session, run):
    """Keywords are learnt from a theme's answers: one that only the withdrawn person wrote goes;
    keywords the others still use stay."""
    theme, answer = quoted_answer(session, run)
    answer.text_redacted += " Zephyrine"
    theme.keywords = [*theme.keywords, "zephyrine"]
    session.add_all([answer, theme])
    session.commit()
    kept = theme.keywords[:-1]
    assert "zephyrine" in client.get(f"{run.base}/analysis.json").get_data(as_text=True)
    writer = session.get(Respondent, answer.respondent_id)
    response = client.post(f"/c/{run.consultation.slug}/withdraw/confirm",
                           data={"reference": writer.reference})
    assert "Your answers have been deleted" in response.get_data(as_text=True)
    assert "zephyrine" not in client.get(f"{run.base}/analysis.json").get_data(as_text=True).lower()
    session.expire_all()
    assert session.get(Theme, theme.id).keywords == kept
