"""After a person takes their answers back, nothing of their words can be read anywhere by anyone.

One person writes a made-up word in several answers (a "Why?" reason among them). An analysis puts
it in themes, sub-themes, keywords and quotes; a blind check codes it; a proposed theme holds it;
an outcome is published quoting it. The person then takes their answers back: online by their
reference code, from a workshop tablet by the tablet's code, or on paper, by asking an admin (who
deletes the response with a reason: paper gives no code). Afterwards the word is searched for in
every staff page and download (as an admin), the public pages, the command line's exports, every
column of every table in the database (by inspection, so a table added later is searched too), the
kept theme model, and this process's caches of rendered pages.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest
from sqlalchemy import column as sql_column
from sqlalchemy import inspect
from sqlalchemy import select as core_select
from sqlalchemy import table as sql_table
from sqlmodel import select

from analysis.persist import term_key
from analysis.text import StemAnalyzer
from engage import fragments
from engage.cli import main
from engage.sample_responses import add_sample_responses
from surveys import theme_runs
from surveys.models import (
    AnalysisRun,
    Answer,
    EvaluationCode,
    Respondent,
    Theme,
    ThemeAssignment,
    Workshop,
)

from ...factories import PASSWORD, demo_consultation, user
from ...journey_helpers import DEMO_ANSWERS, SLUG, complete
from ..auth.test_access_everywhere import staff_urls, words
from ..paper.test_entry import paper_form
from ..workshop.helpers import all_answers, make_workshop, post_response
from ..workshop.test_kiosk_http import signed

#: A word nobody else writes (the search looks for its stem, any case).
WORD = "Quorvantine"
STEM = "quorvant"
#: The person's written answers, close to what others say so that they join themes and are quoted.
WRITTEN = {
    "q-connection-vs-speed-before-why": f"{WORD} talking to a real person who listens matters most",
    "q-fix-one-thing": f"{WORD} getting a GP appointment without ringing at 8am",
    "q-what-matters-most": f"{WORD} being able to book and change appointments online",
    "q-success-measures-other": f"{WORD} outcomes",
}
ADMIN, LEAD = "admin@example.nhs.uk", "lead@example.nhs.uk"


def _client(app, email):
    client = app.test_client()
    assert client.post("/account/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def _answer(app, session, consultation, channel):
    """The person answers by ``channel``; returns what takes their answers back."""
    if channel == "online":
        answers = copy.deepcopy(DEMO_ANSWERS)
        for page in answers.values():
            page.update({k: v for k, v in WRITTEN.items() if k in page})
        reference = complete(app.test_client(), answers=answers)
        return lambda: app.test_client().post(f"/c/{SLUG}/withdraw/confirm", data={"reference": reference})
    if channel == "workshop":
        workshop = make_workshop(session, consultation)
        sent = post_response(app.test_client(), app, workshop, answers={**all_answers(), **WRITTEN},
                             **signed(app, workshop, "QRST-UV23"))
        assert sent.status_code == 201, sent.get_data(as_text=True)
        return lambda: app.test_client().post(f"/c/{SLUG}/withdraw/confirm", data={"reference": "QRST-UV23"})
    # On paper: typed in by the facilitator; the person phones and an admin deletes it.
    typed = _client(app, LEAD).post(f"/manage/c/{SLUG}/entry/new", data=paper_form(**WRITTEN))
    assert typed.status_code == 302, typed.get_data(as_text=True)[:2000]
    number = session.exec(select(Respondent.id).where(Respondent.channel == "paper")).one()
    return lambda: _client(app, ADMIN).post(f"/manage/c/{SLUG}/responses/r/{number}/withdraw",
                                            data={"reason": "Phoned and asked"})


def _plant_everywhere(session, run, mine: list[int]) -> None:
    """Make sure the person's words are in each place a run keeps them, where the engine did not
    happen to put them: a theme's quotes and keywords, a sub-theme's quotes, the blind check, a
    proposed theme, and the top of a theme's quote candidates (to publish)."""
    placed = session.exec(select(ThemeAssignment).where(ThemeAssignment.answer_id.in_(mine))).all()
    assert placed, "the person's answers are in no theme"
    first = placed[0]
    theme = session.get(Theme, first.theme_id)
    theme.quote_ids = [first.answer_id, *[i for i in theme.quote_ids if i != first.answer_id]]
    theme.keywords = list(dict.fromkeys([*theme.keywords, WORD.lower()]))
    theme.label = f"{WORD} and appointments"  # as the engine labels a theme by a word said often
    session.add(theme)
    sub = session.exec(select(Theme).where(Theme.parent_id == theme.id)).first()
    if sub is not None:
        first.subtheme_id = sub.id
        sub.quote_ids = [first.answer_id, *sub.quote_ids]
        session.add(sub)
    first.score = 1e6
    session.add(first)
    session.add(EvaluationCode(run_id=run.id, answer_id=first.answer_id, position=0, theme_id=theme.id,
                               coded=True))
    stored = session.get(AnalysisRun, run.id)
    stored.metrics = {**stored.metrics, "proposals": [
        {"answer_ids": mine, "label": f"{WORD} appointments", "keywords": [WORD.lower()]}]}
    session.add(stored)
    session.commit()


@pytest.fixture(params=["online", "workshop", "paper"])
def said(request, app, session):
    """The person has answered by one channel, an analysis and a published outcome quote them."""
    app.config["JOBS_INLINE"] = True
    consultation = demo_consultation(session)
    user(session, LEAD, "facilitator", (consultation,))
    user(session, ADMIN, "admin")
    add_sample_responses(session, consultation, 40)
    session.commit()
    take_back = _answer(app, session, consultation, request.param)
    session.expire_all()
    mine = list(session.exec(select(Answer.id).where(Answer.text_redacted.contains(WORD))))
    assert len(mine) == len(WRITTEN)
    reference = session.exec(select(Respondent.reference).join(Answer, Answer.respondent_id == Respondent.id)
                             .where(Answer.id == mine[0])).one()
    lead = _client(app, LEAD)
    qids = [q.id for q in theme_runs.analysable_questions(session, consultation)]
    assert lead.post(f"/manage/{SLUG}/themes/", data={"questions": qids}).status_code == 302
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    _plant_everywhere(session, run, mine)
    # An edit made before the withdrawal logs the themes as they were, to put back on undo.
    other = session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None),
                                                Theme.label.not_like(f"{WORD}%"))).first()
    quoted_theme = session.exec(select(Theme.id).where(Theme.label.like(f"{WORD}%"))).one()
    merged = lead.post(f"/manage/{SLUG}/themes/{run.id}/t/{other}",
                       data={"action": "merge", "merge-target": str(quoted_theme)})
    assert merged.status_code == 302
    quoted, quote = session.exec(select(ThemeAssignment.theme_id, ThemeAssignment.answer_id)
                                 .where(ThemeAssignment.score == 1e6)).one()
    composed = lead.post(f"/manage/c/{SLUG}/publication/", data={
        "heard": "We heard you.", "will_do": "We will act.", "questions": ["connection-vs-speed-before"],
        "themes": [str(quoted)], "quotes": [str(quote)], "run": str(run.id),
        "report_back_by": f"{date.today().year + 1}-03-31"})
    assert composed.status_code == 302, composed.get_data(as_text=True)[:3000]
    assert lead.post(f"/manage/c/{SLUG}/publication/1/publish").status_code == 302
    workshop = session.exec(select(Workshop.id)).first()
    values = {"run_id": run.id, "theme_id": quoted, "number": 1, "workshop_id": workshop or 1,
              "answer_id": mine[0], "version": 1, "held_id": 1, "user_id": 1, "message_id": 1,
              "key": "about-you", "code": "NONE"}
    return SimpleNamespace(consultation=consultation, run_id=run.id, take_back=take_back, mine=mine,
                           reference=reference, values=values, channel=request.param)


def _pages(app, values) -> dict[str, str]:
    """Every staff page and download as an admin, the public pages, and the command line's exports."""
    admin = _client(app, ADMIN)
    shown = {}
    for _, path in staff_urls(app, SLUG, values):
        if path.endswith(".pdf"):
            continue  # compressed: the same report's words are read in its Word file
        shown[path] = words(admin.get(path))
    public = app.test_client()
    for path in (f"/c/{SLUG}/", f"/c/{SLUG}/outcome", f"/c/{SLUG}/results", "/"):
        shown[path] = words(public.get(path))
    runner = app.test_cli_runner()
    for args in (["export", "responses", SLUG], ["export", "responses", SLUG, "--format", "xlsx"],
                 *(["export", "report", SLUG, str(values["run_id"]), "--format", f]
                   for f in ("docx", "csv", "xlsx", "json"))):
        out = app.instance_path + "/erasure-export"
        result = runner.invoke(main, [*args, "--output", out])
        assert result.exit_code == 0, result.output
        with open(out, "rb") as f:
            data = f.read()
        shown[" ".join(args)] = _unzipped(data) if data[:2] == b"PK" else data.decode("utf-8", "replace")
    return shown


def _unzipped(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def _stored(session) -> dict[str, str]:
    """Every column of every row of every table in the database, as text (JSON as written, a kept
    model's arrays unpacked), by table and column."""
    connection = session.connection()
    found = inspect(connection)
    out = {}
    for name in found.get_table_names():
        table = sql_table(name, *(sql_column(c["name"]) for c in found.get_columns(name)))
        for row in connection.execute(core_select(table)).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                if isinstance(value, bytes | memoryview):
                    text = _binary(bytes(value))
                elif isinstance(value, dict | list):
                    text = json.dumps(value, ensure_ascii=False)
                else:
                    text = str(value)
                key = f"{table.name}.{column}"
                out[key] = out.get(key, "") + "\n" + text
    return out


def _binary(data: bytes) -> str:
    """A kept binary value as text: an archive's parts unpacked, arrays written out."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as f:
            return "\n".join(f"{name}: {' '.join(map(str, np.ravel(f[name])))}" for name in f.files)
    except (ValueError, OSError, zipfile.BadZipFile):
        return data.decode("utf-8", "replace")


def _found(texts: dict[str, str], *needles: str) -> list[str]:
    return sorted(name for name, text in texts.items()
                  if any(n.casefold() in text.casefold() for n in needles))


def _model_terms() -> set[str]:
    """The hashed terms a kept model would hold for the person's words alone (stems and pairs)."""
    analyzer = StemAnalyzer(track_surface=False)
    return {term_key(t) for text in WRITTEN.values() for t in analyzer(text) if STEM in t}


def _cached_markup(app) -> str:
    caches = (app.extensions[fragments.EXTENSION], app.extensions[fragments.PAGES])
    return "\n".join(str(v) for c in caches for v in c._entries.values())


def test_nothing_of_a_withdrawn_persons_words_is_left_anywhere(app, session, said):
    before = _pages(app, said.values)
    # The search would find the words where they were: otherwise it shows nothing.
    where = _found(before, WORD)
    expected = {f"/manage/{SLUG}/themes/{said.run_id}", f"/manage/{SLUG}/themes/{said.run_id}/analysis.json",
                f"/manage/{SLUG}/themes/{said.run_id}/answers.xlsx", f"/c/{SLUG}/outcome",
                f"export responses {SLUG}", f"export report {SLUG} {said.run_id} --format docx"}
    assert expected <= set(where), where
    stored = _stored(session)
    assert {"answer.text", "answer.text_redacted", "theme.keywords"} <= set(_found(stored, WORD))
    terms = _model_terms()
    assert terms and _found(stored, *terms) == ["run_model.data"]

    done = said.take_back()
    assert done.status_code in (200, 302), done.get_data(as_text=True)[:2000]
    session.expire_all()
    assert session.exec(select(Answer.id).where(Answer.id.in_(said.mine))).all() == []

    after = _pages(app, said.values)
    assert _found(after, WORD, STEM) == []
    stored = _stored(session)
    assert _found(stored, WORD, STEM) == []
    # The reference code is kept only as a hash (so a tablet sending the response again stores
    # nothing): not in the audit trail, nor anywhere else.
    assert _found(stored, said.reference) == []
    # The kept theme model holds no term that only this person wrote (the hash of a word can be
    # checked against a guess).
    assert _found(stored, *terms) == []
    # Nor does this process's cache of rendered pages and fragments.
    assert STEM not in _cached_markup(app).casefold()
