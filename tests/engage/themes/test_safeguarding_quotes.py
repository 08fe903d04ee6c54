"""An answer flagged for the safeguarding lead is never quoted: not on the board, a theme's page,
the matrix, the proposals of new themes nor in the report, however the run chose its quotes."""

import io

from docx import Document
from markupsafe import escape
from sqlmodel import delete, select

from analysis.redact import redact
from analysis.safeguarding import mentions_safeguarding
from surveys import theme_runs
from surveys.models import AnalysisRun, Answer, Theme, ThemeAssignment

from ...factories import signed_in_lead_with_answers

DISCLOSURE = " My husband hits me when I try to book online."


def _docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    return "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_flagged_answers_are_never_quoted_on_the_board_matrix_or_report(app, client, session):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    # Every written answer now also discloses harm, as saving it would flag it: any quote the
    # analysis picks is a flagged answer.
    for answer in session.exec(select(Answer).where(Answer.text.is_not(None))):
        answer.text += DISCLOSURE
        answer.text_redacted = redact(answer.text)
        answer.safeguarding = mentions_safeguarding(answer.text)
        assert answer.safeguarding
        session.add(answer)
    session.commit()
    qids = [q.id for q in theme_runs.analysable_questions(session, consultation)]
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    base = f"/manage/{consultation.slug}/themes/{run.id}"
    themes = session.exec(select(Theme).where(Theme.run_id == run.id)).all()
    assert all(quotes == [] for quotes in theme_runs.quote_texts(session, themes).values())
    words = DISCLOSURE.strip()
    pages = {"board": client.get(base).get_data(as_text=True),
             "matrix": client.get(f"{base}/matrix").get_data(as_text=True),
             "report.docx": _docx_text(client.get(f"{base}/report.docx").data)}
    for theme in themes:
        if theme.parent_id is None:
            page = client.get(f"{base}/t/{theme.id}").get_data(as_text=True)
            # The theme's own answers are listed (flagged, redacted) for the facilitator to read;
            # its quotes, above them, are not.
            pages[f"theme {theme.id} quotes"] = page.split(">Answers (")[0]
    assert [name for name, text in pages.items() if words in text or str(escape(words)) in text] == []
    # Answers that fit no theme wait on the board, counted, in proposals of new themes: unquoted.
    waiting = session.exec(select(ThemeAssignment.answer_id).where(ThemeAssignment.run_id == run.id)
                           .order_by(ThemeAssignment.answer_id).limit(4)).all()
    session.exec(delete(ThemeAssignment).where(ThemeAssignment.answer_id.in_(waiting)))
    run.metrics = {**run.metrics, "unfitted": waiting[2:],
                   "proposals": [{"label": "Booking", "keywords": [], "answer_ids": waiting[:2]}]}
    session.add(run)
    session.commit()
    shown = theme_runs.waiting_on_board(session, run)
    assert shown["total"] == 4 and shown["rest"]["quotes"] == []
    assert [(p["count"], p["quotes"]) for p in shown["proposals"]] == [(2, [])]
    assert words not in client.get(base).get_data(as_text=True)
