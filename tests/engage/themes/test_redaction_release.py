"""A release whose redaction catches more reaches the analyses made before it: `engage db upgrade`
takes the words the new rules take out of answers (a name) out of each earlier analysis's labels,
keywords, edit log, audit trail and kept model, as a withdrawal does; a facilitator's own words
stay."""

import json

from sqlmodel import select

from analysis.redact import redact
from engage import cli
from surveys import theme_runs
from surveys.models import AnalysisRun, Answer, AuditEvent, Question, Theme, ThemeEdit
from surveys.redaction import RULES, RULES_KEY

from ...factories import signed_in_lead_with_answers
from .helpers import add_text_answers
from .test_proposals import _vocabulary


def _name_keys() -> set[str]:
    from analysis.persist import term_key
    from analysis.text import StemAnalyzer

    return {term_key(t) for t in StemAnalyzer(track_surface=False)("Rachel")}


def test_an_analysis_made_under_older_rules_loses_the_names_the_new_rules_take_out(
        app, client, session, runner):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    question = session.exec(select(Question).where(Question.type == "text")
                            .order_by(Question.page_id, Question.position)).first()
    ids = add_text_answers(session, consultation.id, question.id,
                           ["Rachel on the ward was so kind.", "Rachel made the night bearable."])
    for answer in session.exec(select(Answer).where(Answer.id.in_(ids))):
        answer.text_redacted = answer.text  # as the older rules left them: the name for all to read
        session.add(answer)
    session.commit()
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": [question.id]})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    assert run.metrics[RULES_KEY] == RULES  # a new analysis is made under this release's rules
    assert _name_keys() <= _vocabulary(session, run.id)
    base = f"/manage/{consultation.slug}/themes/{run.id}"

    # The older engine made a label and a keyword of the name; the facilitator renamed that theme
    # (the edit log and the audit trail keep the old label) and another in words nobody wrote.
    first, second = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                                 .order_by(Theme.id)).all()[:2]
    first.label, first.keywords = "Rachel was so kind", ["rachel", "kind"]
    session.add(first)
    session.commit()
    for theme, label in ((first, "Rachel on nights"), (second, "Connectivity matters")):
        response = client.post(f"{base}/t/{theme.id}", data={"action": "rename", "rename-label": label,
                                                             "rename-description": ""})
        assert response.status_code == 302, response.get_data(as_text=True)
    # What migration 0030 did to the stored answers; the analysis is as it was made.
    for answer in session.exec(select(Answer).where(Answer.id.in_(ids))):
        answer.text_redacted = redact(answer.text)
        session.add(answer)
    run = session.get(AnalysisRun, run.id)
    run.metrics = {k: v for k, v in run.metrics.items() if k != RULES_KEY}
    session.add(run)
    session.commit()

    result = runner.invoke(cli.main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "brought up to this release's: 1 (1 word taken out" in result.output

    session.expire_all()
    themes = session.exec(select(Theme).where(Theme.run_id == run.id)).all()
    shown = json.dumps([[t.label, t.keywords] for t in themes])
    assert "rachel" not in shown.casefold()
    assert session.get(Theme, first.id).keywords == ["kind"]
    assert session.get(Theme, second.id).label == "Connectivity matters"  # nobody wrote it: kept
    logged = json.dumps([e.before for e in session.exec(select(ThemeEdit).where(ThemeEdit.run_id == run.id))])
    assert "Rachel was so kind" not in logged and "rachel" not in logged.casefold()
    audit = json.dumps([e.detail for e in session.exec(select(AuditEvent)
                                                       .where(AuditEvent.action.startswith("theme.")))])
    assert "Connectivity matters" in audit and "rachel" not in audit.casefold()
    assert not _name_keys() & _vocabulary(session, run.id)  # the name left the kept model
    metrics = session.get(AnalysisRun, run.id).metrics
    assert metrics[RULES_KEY] == RULES and not metrics.get("model_cleaning")
    assert theme_runs.earlier_analyses(session) == []
    page = client.get(base).get_data(as_text=True)
    assert "Rachel" not in page and "Connectivity matters" in page

    again = runner.invoke(cli.main, ["db", "upgrade"])  # once only
    assert again.exit_code == 0 and "older redaction rules" not in again.output
