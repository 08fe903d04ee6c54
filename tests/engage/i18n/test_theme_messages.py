"""What the theme pages are told by the domain, in the facilitator's language: refusals raised in
``surveys`` (an edit that cannot be made, the board busy placing answers), what placing answers in
the background could not do, the analysis's progress steps and why an analysis failed. The
background has no reader, so it keeps the words untranslated and the page translates them."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import select

from analysis import ThemeModel
from surveys import theme_runs
from surveys.models import AnalysisRun, Theme
from surveys.wording import N_, said

from ...factories import running_and_failed_runs, signed_in_lead_with_answers
from ..reports.test_reports import start
from ..themes.helpers import PARKING


@pytest.fixture
def welsh_run(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    run = start(client, session, consultation)
    client.get("/?lang=cy")
    yield consultation, run, f"/manage/{consultation.slug}/themes/{run.id}"
    client.get("/?lang=en")


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_refused_edit_and_a_refused_split_are_explained_in_welsh(client, session, welsh_run):
    _, run, base = welsh_run
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).all()
    first, second = themes[:2]
    refused = client.post(f"{base}/t/{first.id}", data={"action": "rename", "rename-label": second.label,
                                                       "rename-description": ""})
    assert refused.status_code == 400
    page = _text(refused)
    assert f"Mae thema arall o'r enw “{second.label}” eisoes." in page
    assert "Another theme is already called" not in page

    preview = _text(client.get(f"{base}/t/{first.id}/split?phrase=zzqqxx"))
    assert "Nid oes unrhyw ateb yn y thema hon yn cynnwys “zzqqxx”." in preview
    assert "No answer in this theme contains" not in preview


def test_the_busy_board_refuses_edits_in_welsh(client, session, welsh_run):
    _, run, base = welsh_run
    run.metrics = {**run.metrics, "busy": {"action": "update"}}
    session.add(run)
    session.commit()
    first = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).first()
    refused = client.post(f"{base}/t/{first.id}", data={"action": "review"})
    assert refused.status_code == 409
    page = _text(refused)
    assert "Mae atebion newydd yn cael eu rhoi yn y themâu hyn. Rhowch gynnig arall arni ymhen munud." in page
    assert "New answers are being placed" not in page
    assert "Ni ellir gwneud hyn nawr" in page  # the heading, in Welsh too
    refused = client.post(f"{base}/edit", data={"action": "update"})
    assert "Rhowch gynnig arall arni ymhen munud." in _text(refused)


def test_what_background_placing_could_not_do_is_shown_in_the_readers_language(app, client, session,
                                                                               welsh_run):
    """Placing runs with no reader: its refusal is kept untranslated and shown in each reader's language."""
    from engage.themes.jobs import place_answers

    _, run, base = welsh_run
    with app.app_context():
        place_answers(run.id, "accept", "12345678", None)  # a proposal that is not there (any more)
    session.expire_all()
    told = session.get(AnalysisRun, run.id).metrics["told"]
    assert told["ok"] is False and told["message"][0]["msgid"].startswith("That proposed theme is no longer")
    board = _text(client.get(base))
    assert "Nid yw'r thema arfaethedig honno yno mwyach." in board
    assert "That proposed theme" not in board
    client.get("/?lang=en")
    assert "That proposed theme is no longer there." in _text(client.get(base))


def test_progress_steps_and_failures_are_shown_in_welsh(client, session, welsh_run):
    consultation, run, _ = welsh_run
    too_few = N_("There are only %(count)s written answers to analyse. Themes need at least %(least)s.")
    running, failed = running_and_failed_runs(session, run, said(too_few, count=3, least=5))
    assert failed.error == "There are only 3 written answers to analyse. Themes need at least 5."
    base = f"/manage/{consultation.slug}/themes"

    page = _text(client.get(f"{base}/{running.id}"))
    assert '<span id="run-step">Sgorio teimladau</span>' in page and "Scoring sentiment" not in page
    assert client.get(f"{base}/{running.id}/status.json").get_json()["step"] == "Sgorio teimladau"

    page = _text(client.get(f"{base}/{failed.id}"))
    assert "Dim ond 3 o atebion ysgrifenedig sydd i'w dadansoddi. Mae themâu angen o leiaf 5." in page
    assert "written answers to analyse" not in page
    status = client.get(f"{base}/{failed.id}/status.json").get_json()
    assert status["error"].startswith("Dim ond 3 o atebion")
    client.get("/?lang=en")
    assert client.get(f"{base}/{running.id}/status.json").get_json()["step"] == "Scoring sentiment"


def test_every_step_the_analysis_reports_is_in_the_catalog():
    """The steps are words for people: each one the theme model reports is marked (theme_runs.STEPS)."""
    reported = []
    texts = PARKING * 4 + ["The staff were kind and listened"] * 12 + ["Waiting times are far too long"] * 12
    ThemeModel(random_state=0, redact=True).fit(texts, progress=lambda step, _: reported.append(step))
    assert len(set(reported)) >= 5
    assert set(reported) <= set(theme_runs.STEPS), set(reported) - set(theme_runs.STEPS)


def test_the_board_names_no_fixed_groups(client, session, welsh_run):
    """Groups are the answers to the consultation's own segment question, so the link to the
    theme-by-group table names none."""
    _, _, base = welsh_run
    board = _text(client.get(base))
    assert "Themâu yn ôl grŵp a sut y newidiodd barn pobl" in board
    assert "cleifion, gofalwyr" not in board
    client.get("/?lang=en")
    board = _text(client.get(base))
    assert "Themes by group and how views changed" in board and "patients, carers" not in board
