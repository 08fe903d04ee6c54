"""One model, kept: each run stores its fitted model; updates place new answers with it into the
themes as edited, and gather answers that fit no theme into proposed themes the facilitator can
add (undoably) or place anyway. Erasure reaches the proposals."""

from collections import Counter
from types import SimpleNamespace

import pytest
from markupsafe import escape
from sqlmodel import select

from engage.sample_responses import IDEAS
from surveys import theme_runs
from surveys.models import (
    AnalysisRun,
    Answer,
    Question,
    Respondent,
    RunModel,
    Theme,
    ThemeAssignment,
)

from ...factories import signed_in_lead_with_answers
from .helpers import PARKING, add_text_answers


@pytest.fixture
def run(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    question = session.exec(select(Question).where(Question.type == "text")
                            .order_by(Question.page_id, Question.position)).first()
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": [question.id]})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    return SimpleNamespace(id=run.id, consultation_id=consultation.id, slug=consultation.slug,
                           question_id=question.id, base=f"/manage/{consultation.slug}/themes/{run.id}")


def add_answers(session, run, texts: list[str]) -> list[int]:
    return add_text_answers(session, run.consultation_id, run.question_id, texts)


def placement(session, run) -> dict[int, int]:
    session.expire_all()
    return dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                             .where(ThemeAssignment.run_id == run.id)).all())


def stored_run(session, run) -> AnalysisRun:
    session.expire_all()
    return session.get(AnalysisRun, run.id)


def post(client, path: str, data: dict, status: int = 302):
    response = client.post(path, data=data)
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    return response


def test_the_kept_model_gives_the_runs_own_answers_their_themes(session, run):
    row = session.get(RunModel, run.id)
    assert row is not None and len(row.data) > 1000
    model = theme_runs.load_model(session, stored_run(session, run))
    texts = theme_runs.gather_texts(session, stored_run(session, run))
    by_position = {t.position: t.id for t in session.exec(
        select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None)))}
    predicted = model.predict([t.text for t in texts])
    placed = placement(session, run)
    assert placed
    assert {t.answer_id: by_position.get(int(p)) for t, p in zip(texts, predicted, strict=True)
            if p >= 0} == placed


def test_a_new_topic_is_proposed_as_a_theme_added_by_the_facilitator_and_undone(client, session, run):
    before = placement(session, run)
    themes_before = set(session.exec(select(Theme.id).where(Theme.run_id == run.id)))
    parking = add_answers(session, run, PARKING)
    post(client, f"{run.base}/edit", {"action": "update"})
    after = placement(session, run)
    assert {a: t for a, t in after.items() if a in before} == before  # nobody's answer moved
    assert not set(parking) & set(after), "car parking was forced into an old theme"
    proposals = stored_run(session, run).metrics["proposals"]
    assert len(proposals) == 1 and set(proposals[0]["answer_ids"]) == set(parking)
    assert "park" in proposals[0]["label"].lower()
    board = client.get(run.base).get_data(as_text=True)
    assert "20 new answers fit no theme" in board
    assert f"Proposed theme: {escape(proposals[0]['label'])}" in board
    shown = [t for t in PARKING if str(escape(t)) in board]
    assert len(shown) == 3
    assert "Add as a new theme" in board and "Put in nearest themes" in board

    key = str(min(parking))
    post(client, f"{run.base}/waiting", {"action": "accept", "proposal": key})
    new_theme = session.exec(select(Theme).where(Theme.run_id == run.id,
                                                 Theme.id.not_in(themes_before))).one()
    assert new_theme.label == proposals[0]["label"] and set(new_theme.quote_ids) <= set(parking)
    new_id = new_theme.id
    assert {a for a, t in placement(session, run).items() if t == new_id} == set(parking)
    assert stored_run(session, run).metrics["proposals"] == []
    board = client.get(run.base).get_data(as_text=True)
    assert "fit no theme" not in board and "Undo adding the proposed theme" in board

    post(client, f"{run.base}/edit", {"action": "undo"})
    session.expunge_all()
    assert session.exec(select(Theme).where(Theme.id == new_id)).first() is None
    assert not set(parking) & set(placement(session, run))
    assert stored_run(session, run).metrics["proposals"] == proposals
    assert "20 new answers fit no theme" in client.get(run.base).get_data(as_text=True)
    # Undoing the update too takes the proposal away: the answers are new again.
    post(client, f"{run.base}/edit", {"action": "undo"})
    assert not stored_run(session, run).metrics.get("proposals")
    assert placement(session, run) == before


def test_a_flagged_answer_waiting_for_a_theme_is_counted_and_said_not_quoted(client, session, run):
    disclosure = "Car parking at the hospital is so bad I want to kill myself"
    flagged, *parking = add_answers(session, run, [disclosure, *PARKING])
    assert session.get(Answer, flagged).safeguarding
    post(client, f"{run.base}/edit", {"action": "update"})
    board = client.get(run.base).get_data(as_text=True)
    assert "kill myself" not in board
    # Counted with the others, and the card says why one of them is not among its quotes.
    assert "21 new answers fit no theme" in board
    assert ("1 of them is not quoted here: it may show that someone is at risk of harm, and a "
            "safeguarding lead reads it.") in board


def test_a_proposal_can_be_put_in_the_nearest_themes_anyway(client, session, run):
    parking = add_answers(session, run, PARKING)
    post(client, f"{run.base}/edit", {"action": "update"})
    post(client, f"{run.base}/waiting", {"action": "place", "proposal": str(min(parking))})
    run_now = stored_run(session, run)
    placed = placement(session, run)
    waiting = theme_runs.waiting_ids(run_now)
    # Each is placed, or stays waiting only if it shares no word with any theme.
    assert set(parking) <= set(placed) | waiting and set(placed) & set(parking)
    assert run_now.metrics["proposals"] == []
    put = len(set(placed) & set(parking))
    said = ("1 answer was put into its nearest theme." if put == 1
            else f"{put} answers were put into their nearest themes.")
    assert said in client.get(run.base).get_data(as_text=True)
    post(client, f"{run.base}/edit", {"action": "undo"})
    assert not set(parking) & set(placement(session, run))


def test_new_answers_on_known_topics_go_to_the_right_themes(client, session, run):
    before = placement(session, run)
    texts = dict(session.exec(select(Answer.id, Answer.text_redacted)
                              .where(Answer.id.in_(list(before)))).all())
    # Each idea of the sample answers, worded anew, belongs where the run put the answers that
    # say it (when nearly all of them are in one theme).
    home = {}
    for idea in [i for ideas in IDEAS.values() for i in ideas]:
        where = Counter(before[a] for a, t in texts.items() if idea.lower() in t.lower())
        if sum(where.values()) >= 3:
            theme_id, n = where.most_common(1)[0]
            if n >= 0.8 * sum(where.values()):
                home[f"We need {idea}, please."] = theme_id
    assert len(home) >= 8
    new = dict(zip(add_answers(session, run, list(home)), home, strict=True))
    post(client, f"{run.base}/edit", {"action": "update"})
    after = placement(session, run)
    placed = [a for a in new if a in after]
    assert len(placed) >= 0.8 * len(new)
    assert [new[a] for a in placed if after[a] != home[new[a]]] == []
    assert {a: t for a, t in after.items() if a in before} == before


def test_withdrawing_takes_an_answer_out_of_a_proposal(client, session, run):
    parking = add_answers(session, run, PARKING)
    post(client, f"{run.base}/edit", {"action": "update"})
    answer = session.get(Answer, parking[0])
    reference, words = session.get(Respondent, answer.respondent_id).reference, answer.text_redacted
    board = client.get(run.base).get_data(as_text=True)
    response = client.post(f"/c/{run.slug}/withdraw/confirm", data={"reference": reference})
    assert "Your answers have been deleted" in response.get_data(as_text=True)
    run_now = stored_run(session, run)
    assert parking[0] not in theme_runs.waiting_ids(run_now)
    assert set(run_now.metrics["proposals"][0]["answer_ids"]) == set(parking[1:])
    board = client.get(run.base).get_data(as_text=True)
    assert "19 new answers fit no theme" in board and str(escape(words)) not in board
    # The update's log entry no longer holds the answer either: undo cannot bring it back.
    post(client, f"{run.base}/waiting", {"action": "accept", "proposal": str(min(parking[1:]))})
    post(client, f"{run.base}/edit", {"action": "undo"})
    assert parking[0] not in theme_runs.waiting_ids(stored_run(session, run))
    assert parking[0] not in placement(session, run)


def test_a_stale_or_unknown_proposal_is_explained(client, session, run):
    post(client, f"{run.base}/edit", {"action": "update"})
    response = post(client, f"{run.base}/waiting", {"action": "accept", "proposal": "12345"}, 400)
    assert "no longer there" in response.get_data(as_text=True)
    response = post(client, f"{run.base}/waiting", {"action": "place", "proposal": "rest"}, 400)
    assert "still waiting" in response.get_data(as_text=True)


def test_a_run_without_a_kept_model_says_to_start_again(client, session, run):
    session.delete(session.get(RunModel, run.id))
    session.commit()
    add_answers(session, run, PARKING[:5])
    response = post(client, f"{run.base}/edit", {"action": "update"}, 400)
    assert "Start a new analysis" in response.get_data(as_text=True)
    assert not stored_run(session, run).metrics.get("proposals")


def test_placing_answers_is_left_to_the_worker_and_the_board_waits_for_it(app, client, session, run):
    """The web request only checks and queues: the model is loaded by ``engage worker``. Meanwhile
    the board says so, refreshes itself and takes no edits; then it says what was done."""
    from engage.worker import run as run_worker
    from surveys.models import Job

    app.config["JOBS_INLINE"] = False
    parking = add_answers(session, run, PARKING)
    post(client, f"{run.base}/edit", {"action": "update"})
    session.expire_all()
    job = session.exec(select(Job).where(Job.status == "queued")).one()
    assert job.task == "engage.themes.jobs:place_answers" and job.args[:2] == [run.id, "update"]
    assert not set(parking) & set(placement(session, run))
    board = client.get(run.base).get_data(as_text=True)
    assert "<strong>Placing answers into the themes.</strong> This page updates itself" in board
    assert "&lt;" not in board.split("<h1>", 1)[1].split("</main>", 1)[0]  # no markup shown as text
    # Reloading only without JavaScript (a reload every 5 s loses a screen reader's place); with it,
    # the page asks status.json and says in a live line when the work is done.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in board
    assert board.count('http-equiv="refresh"') == 1
    assert 'aria-live="polite" id="board-status"' in board and "Check again</a>" in board
    assert client.get(f"{run.base}/status.json").get_json()["busy"] is True
    assert "Add new answers to these themes" not in board
    refused = post(client, f"{run.base}/edit", {"action": "undo"}, 409)
    assert "being placed" in refused.get_data(as_text=True)
    assert "This cannot be done now" in refused.get_data(as_text=True)  # not "already been done"
    theme = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).first()
    post(client, f"{run.base}/t/{theme.id}",
         {"action": "rename", "rename-label": "No", "rename-description": ""}, 409)
    assert run_worker(app, burst=True) == 1
    board = client.get(run.base).get_data(as_text=True)
    assert "20 new answers fit no theme" in board and "Placing answers" not in board
    assert "see the proposed new themes below" in board  # what the work said
    assert stored_run(session, run).metrics["busy"] is None
    assert client.get(f"{run.base}/status.json").get_json()["busy"] is False
    # Undoing the update takes the proposals away and leaves the board free.
    post(client, f"{run.base}/edit", {"action": "undo"})
    assert not stored_run(session, run).metrics.get("proposals")
    assert stored_run(session, run).metrics.get("busy") is None


def test_a_worker_that_dies_while_placing_frees_the_board(app, client, session, run):
    from sqlalchemy import update

    from engage import jobs
    from surveys.models import Job, utcnow

    app.config["JOBS_INLINE"] = False
    add_answers(session, run, PARKING[:5])
    post(client, f"{run.base}/edit", {"action": "update"})
    session.exec(update(Job).values(status="running", worker="gone",
                                    heartbeat_at=utcnow().replace(year=2000)))
    session.commit()
    with app.app_context():
        jobs.check(app, session)
        session.commit()
    board = client.get(run.base).get_data(as_text=True)
    assert "stopped before it finished" in board and "Add new answers to these themes" in board


@pytest.fixture
def learnt_word(app, session, client):
    """A run whose model learnt a word only two people wrote ("zorblax"): their references."""
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    question = session.exec(select(Question).where(Question.type == "text")
                            .order_by(Question.page_id, Question.position)).first()
    ids = add_text_answers(session, consultation.id, question.id,
                           ["The zorblax on the ward was broken again.", "Zorblax machines took an hour."])
    references = session.exec(select(Respondent.reference).join(Answer, Answer.respondent_id == Respondent.id)
                              .where(Answer.id.in_(ids))).all()
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": [question.id]})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    assert _zorblax_keys() <= _vocabulary(session, run.id)  # the model learnt the word
    return SimpleNamespace(id=run.id, consultation_id=consultation.id, slug=consultation.slug,
                           question_id=question.id, base=f"/manage/{consultation.slug}/themes/{run.id}",
                           references=references)


def _zorblax_keys() -> set[str]:
    from analysis.persist import term_key
    from analysis.text import StemAnalyzer

    return {term_key(t) for t in StemAnalyzer(track_surface=False)("zorblax")}


def _vocabulary(session, run_id: int) -> set[str]:
    import io

    import numpy as np

    session.expire_all()
    with np.load(io.BytesIO(session.get(RunModel, run_id).data), allow_pickle=False) as f:
        return {str(k) for k in f["vocabulary"]}


def _withdraw(client, run):
    for reference in run.references:
        response = client.post(f"/c/{run.slug}/withdraw/confirm", data={"reference": reference})
        assert "Your answers have been deleted" in response.get_data(as_text=True)


def test_a_withdrawal_takes_their_words_out_of_the_kept_model_which_still_places_answers(
        client, session, learnt_word):
    run = learnt_word
    _withdraw(client, run)
    assert not _zorblax_keys() & _vocabulary(session, run.id)  # their word left the model
    metrics = stored_run(session, run).metrics
    assert not metrics.get("model_cleaning") and not metrics.get("model_forgotten")
    parking = add_answers(session, run, PARKING[:6])
    post(client, f"{run.base}/edit", {"action": "update"})
    assert set(parking) <= theme_runs.seen(session, stored_run(session, run))  # placed or proposed
    assert "Start a new analysis" not in client.get(run.base).get_data(as_text=True)


def test_a_model_that_cannot_be_cleaned_is_deleted(client, session, learnt_word, monkeypatch):
    import analysis.persist

    def broken(*_args):
        raise ValueError("cannot read this model")

    monkeypatch.setattr(analysis.persist, "forget_terms", broken)
    run = learnt_word
    _withdraw(client, run)
    session.expire_all()
    assert session.get(RunModel, run.id) is None
    assert stored_run(session, run).metrics.get("model_forgotten")
    add_answers(session, run, PARKING[:5])
    response = post(client, f"{run.base}/edit", {"action": "update"}, 400)
    assert "took their answers back" in response.get_data(as_text=True)


def test_while_the_model_is_being_cleaned_it_places_nothing(app, client, session, learnt_word):
    """The web request that takes answers back queues the cleaning for ``engage worker`` (it needs
    the analysis stack); until it is done the model places nothing."""
    from engage.worker import run as run_worker
    from surveys.models import Job

    app.config["JOBS_INLINE"] = False  # the worker has not cleaned it yet
    run = learnt_word
    _withdraw(client, run)
    session.expire_all()
    queued = session.exec(select(Job).where(Job.status == "queued")).all()
    # One cleaning for both withdrawals: the second found the first's job not yet started.
    assert [(j.task, j.args) for j in queued] == [("engage.themes.jobs:clean_run_model", [run.id])]
    parking = add_answers(session, run, PARKING[:5])
    cleaning = "Words are being taken out of this analysis’s model"
    assert cleaning in client.get(run.base).get_data(as_text=True)  # the board says so before any update
    response = post(client, f"{run.base}/edit", {"action": "update"}, 400)
    assert cleaning in response.get_data(as_text=True)
    assert _zorblax_keys() <= _vocabulary(session, run.id)
    assert run_worker(app, burst=True) == 1
    assert not _zorblax_keys() & _vocabulary(session, run.id)
    assert cleaning not in client.get(run.base).get_data(as_text=True)
    post(client, f"{run.base}/edit", {"action": "update"})
    assert run_worker(app, burst=True) == 1
    assert set(parking) <= theme_runs.seen(session, stored_run(session, run))


def test_a_withdrawal_while_a_cleaning_runs_queues_its_own(app, client, session, learnt_word):
    """A cleaning a worker has started may have read the run before a second withdrawal: that one
    queues its own, which cleans even if the first cleared the run's "being cleaned" mark (two
    withdrawals at once may both set it to the same value)."""
    from engage.worker import run as run_worker
    from surveys.models import Job

    app.config["JOBS_INLINE"] = False
    run = learnt_word
    first, second = run.references
    _withdraw(client, SimpleNamespace(slug=run.slug, references=[first]))
    started = session.exec(select(Job).where(Job.task == "engage.themes.jobs:clean_run_model")).one()
    started.status = "running"  # a worker has it
    session.add(started)
    session.commit()
    _withdraw(client, SimpleNamespace(slug=run.slug, references=[second]))
    session.expire_all()
    queued = session.exec(select(Job).where(Job.task == "engage.themes.jobs:clean_run_model",
                                            Job.status == "queued")).all()
    assert [j.args for j in queued] == [[run.id]] and queued[0].id != started.id
    stored = stored_run(session, run)
    stored.metrics = {k: v for k, v in stored.metrics.items() if k != "model_cleaning"}
    session.add(stored)
    session.commit()
    assert _zorblax_keys() <= _vocabulary(session, run.id)
    assert run_worker(app, burst=True) == 1
    assert not _zorblax_keys() & _vocabulary(session, run.id)


def test_undo_after_a_withdrawal_counts_the_run_as_it_is_now(client, session, run):
    """An update is logged with the run's counts; a person whose answer was placed before it
    takes their answers back; undoing the update says as many placed as the themes hold."""
    home = add_answers(session, run, PARKING[:6])
    post(client, f"{run.base}/edit", {"action": "update"})
    old = session.exec(select(ThemeAssignment.answer_id).where(
        ThemeAssignment.run_id == run.id, ThemeAssignment.answer_id.not_in(home))
        .order_by(ThemeAssignment.answer_id)).first()
    # Someone the analysis placed, and someone the update saw first, take their answers back.
    references = [session.get(Respondent, session.get(Answer, a).respondent_id).reference
                  for a in (old, home[0])]
    their_answers = set(session.exec(select(Answer.id).join(Respondent)
                                     .where(Respondent.reference.in_(references))))
    for reference in references:
        response = client.post(f"/c/{run.slug}/withdraw/confirm", data={"reference": reference})
        assert "Your answers have been deleted" in response.get_data(as_text=True)
    post(client, f"{run.base}/edit", {"action": "undo"})
    stored = stored_run(session, run)
    placed = len(placement(session, run))
    seen_now = theme_runs.seen(session, stored)
    assert old in their_answers and not their_answers & seen_now and not set(home) & seen_now
    assert (stored.metrics["answers"], stored.metrics["placed"]) == (len(seen_now), placed)
    board = client.get(run.base).get_data(as_text=True)
    assert f"{placed:,} written answers placed in" in board
