""""Move this answer to" sent without an answer, with a broken one, or with an answer of another
consultation: the theme's page says what went wrong, in words, and nothing moves."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import select

from engage.sample_responses import add_sample_responses
from surveys.models import AnalysisRun, Answer, Respondent, ThemeAssignment

from ...factories import demo_consultation, signed_in_lead_with_answers
from ..reports.test_reports import start


def _placement(session, run_id: int) -> dict[int, int]:
    session.expire_all()
    return dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                             .where(ThemeAssignment.run_id == run_id)).all())


@pytest.mark.parametrize("sent", ["missing", "empty", "letters", "huge", "superscript", "other consultation"])
def test_a_move_naming_no_answer_of_this_analysis_is_refused_in_words(app, client, session, sent):
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    run = start(client, session, consultation)
    # Another consultation's analysed answers, which this facilitator cannot reach.
    other = demo_consultation(session, slug="elsewhere")
    add_sample_responses(session, other, 40)
    session.commit()
    foreign = session.exec(select(Answer.id).join(Respondent, Respondent.id == Answer.respondent_id)
                           .where(Answer.text_redacted.is_not(None),
                                  Respondent.consultation_id == other.id)).first()
    assert foreign and foreign not in _placement(session, run.id)
    before = _placement(session, run.id)
    theme_id, target = sorted(set(before.values()))[:2]
    form = {"action": "move", "move-target": str(target)}
    answer = {"missing": None, "empty": "", "letters": "12abc", "huge": "9" * 30, "superscript": "²",
              "other consultation": str(foreign)}[sent]
    if answer is not None:
        form["move-answer"] = answer

    response = client.post(f"/manage/{consultation.slug}/themes/{run.id}/t/{theme_id}", data=form)

    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400, page[:500]
    summary = page.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert ("That answer could not be found. Reload the page and try again." in summary
            or "That answer is not part of this analysis." in summary), summary
    assert 'href="#answers"' in summary and 'id="answers"' in page
    assert "Answer moved" not in page
    assert _placement(session, run.id) == before
    assert session.exec(select(AnalysisRun).where(AnalysisRun.consultation_id == other.id)).first() is None
