"""The blind check's agreement is worked out from the codes and themes as they are now.

It was kept on the run when the check page showed it, and the board and the report read that copy:
after a new sample was drawn, or an edit moved a coded answer, they still gave the old figure.
On the check page a kappa of 0 or below read "slight agreement"; the report said "no better than
chance". Both now take their words from one function.
"""

import io
import re

import pytest
from docx import Document
from sqlmodel import select

from surveys.evaluation import agreement_strength
from surveys.models import EvaluationCode, Theme, ThemeAssignment

from .helpers import analysed


@pytest.fixture
def run(app, session, client):
    return analysed(app, session, client, 60)


def docx_text(body: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)


def board_kappa(client, run) -> str | None:
    found = re.search(r"\(agreement: kappa (-?[\d.]+)\)", client.get(run.base).get_data(as_text=True))
    return found and found.group(1)


def report_kappa(client, run) -> str | None:
    found = re.search(r"Cohen's kappa (-?[\d.]+)", docx_text(client.get(f"{run.base}/report.docx").data))
    return found and found.group(1)


def code_all(client, session, run, choose) -> None:
    """Start a check of 20 answers and code each as ``choose(answer_id, model's theme)`` says."""
    assert client.post(f"{run.base}/check", data={"action": "start", "size": "20"}).status_code == 302
    session.expire_all()
    placed = dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                               .where(ThemeAssignment.run_id == run.id)).all())
    codes = session.exec(select(EvaluationCode.id, EvaluationCode.answer_id)
                         .where(EvaluationCode.run_id == run.id)).all()
    for code_id, answer_id in codes:
        choice = choose(answer_id, placed.get(answer_id))
        response = client.post(f"{run.base}/check", data={"code": str(code_id), "theme": choice})
        assert response.status_code == 302


def test_the_board_and_report_give_the_agreement_of_the_codes_as_they_are_now(client, session, run):
    code_all(client, session, run, lambda _a, model: str(model) if model else "none")
    assert board_kappa(client, run) == report_kappa(client, run) == "1.00"
    # An edit moves answers the facilitator coded: the model's placing no longer agrees with them.
    session.expire_all()
    coded = session.exec(select(EvaluationCode.answer_id, ThemeAssignment.theme_id)
                         .join(ThemeAssignment, ThemeAssignment.answer_id == EvaluationCode.answer_id)
                         .where(EvaluationCode.run_id == run.id)).all()
    themes = session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).all()
    for answer_id, theme_id in coded[:5]:
        target = next(t for t in themes if t != theme_id)
        response = client.post(f"{run.base}/t/{theme_id}",
                               data={"action": "move", "move-answer": str(answer_id),
                                     "move-target": str(target)})
        assert response.status_code == 302
    moved = board_kappa(client, run)
    assert moved is not None and float(moved) < 1 and report_kappa(client, run) == moved
    # A new sample, not yet coded, has no agreement yet: nothing of the old one is shown.
    assert client.post(f"{run.base}/check", data={"action": "start", "size": "20"}).status_code == 302
    assert board_kappa(client, run) is None
    report = docx_text(client.get(f"{run.base}/report.docx").data)
    assert "No blind check was done" in report and "Cohen's kappa" not in report
    assert "kappa" not in str(client.get(f"{run.base}/analysis.json").get_json()["metrics"])


def test_no_better_than_chance_reads_the_same_on_the_check_page_and_in_the_report(client, session, run):
    session.expire_all()
    themes = session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.id)).all()
    # Always a theme the model did not choose: agreement is none at all.
    code_all(client, session, run, lambda _a, model: str(next(t for t in themes if t != model)))
    page = client.get(f"{run.base}/check").get_data(as_text=True)
    kappa = float(re.search(r"is <strong>(-?[\d.]+)</strong>", page).group(1))
    assert kappa <= 0
    assert "(agreement: no better than chance)" in page and "slight agreement" not in page
    assert "no better than chance (Cohen's kappa" in docx_text(client.get(f"{run.base}/report.docx").data)
    assert agreement_strength(kappa) == "no better than chance"
    assert [agreement_strength(k) for k in (0.1, 0.3, 0.5, 0.7, 0.9)] == \
        ["slight", "fair", "moderate", "substantial", "almost perfect"]


def test_merging_a_coded_theme_keeps_facilitator_and_model_agreeing_and_undo_puts_codes_back(
        client, session, run):
    code_all(client, session, run, lambda _a, model: str(model) if model else "none")
    assert board_kappa(client, run) == "1.00"
    session.expire_all()
    named = dict(session.exec(select(EvaluationCode.id, EvaluationCode.theme_id)
                              .where(EvaluationCode.run_id == run.id)).all())
    merged = next(t for t in named.values() if t is not None)
    target = session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None),
                                                 Theme.id != merged)).first()
    response = client.post(f"{run.base}/t/{merged}", data={"action": "merge", "merge-target": target})
    assert response.status_code == 302
    # The answers coded as the merged theme are in the target now, and so are their codes.
    assert board_kappa(client, run) == report_kappa(client, run) == "1.00"
    session.expire_all()
    assert {c: t for c, t in session.exec(select(EvaluationCode.id, EvaluationCode.theme_id)
                                          .where(EvaluationCode.theme_id == target))} == \
        {c: target for c, t in named.items() if t in (merged, target)}
    assert client.post(f"{run.base}/edit", data={"action": "undo"}).status_code == 302
    session.expire_all()
    assert dict(session.exec(select(EvaluationCode.id, EvaluationCode.theme_id)
                             .where(EvaluationCode.run_id == run.id)).all()) == named
