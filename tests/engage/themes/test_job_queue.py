"""Analysis never runs in the web process: jobs wait in the database for `engage worker`, survive a
restart, are claimed once, and a job whose worker died is found, shown failed and can be retried."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, select

from engage import create_app
from engage.jobs import task_name
from engage.sample_responses import add_sample_responses
from engage.themes.jobs import run_analysis
from engage.worker import run as run_worker
from surveys import job_queue
from surveys.models import AnalysisRun, Job, Question, utcnow

from ...factories import PASSWORD, demo_consultation, user

ENGAGE = str(Path(sys.executable).parent / "engage")


def lead_with_answers(session, client, responses=60):
    consultation = demo_consultation(session)
    add_sample_responses(session, consultation, responses)
    session.commit()
    user(session, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    return consultation


def start(client, session, consultation) -> AnalysisRun:
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    response = client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    assert response.status_code == 302, response.data[:500]
    session.expire_all()
    return session.exec(select(AnalysisRun).order_by(AnalysisRun.id.desc())).first()


def fresh(session, model, key):
    session.expire_all()
    return session.get(model, key)


def test_a_queued_analysis_waits_for_a_worker_and_survives_a_server_restart(app, client, session,
                                                                            db_url):
    consultation = lead_with_answers(session, client)
    run = start(client, session, consultation)
    job = session.exec(select(Job)).one()
    assert (run.status, job.status, job.queue, job.args) == ("queued", "queued", "database", [run.id])
    assert job.task == "engage.themes.jobs:run_analysis"
    page = client.get(f"/manage/{consultation.slug}/themes/{run.id}").data.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "This page updates itself every few seconds" in page
    # A worker started later (after the server that queued it, with its own app) runs it.
    later = create_app({"DATABASE_URL": db_url, "SECRET_KEY": app.config["SECRET_KEY"]})
    try:
        assert run_worker(later, burst=True) == 1
    finally:
        later.extensions["engage.db"].dispose()
    assert fresh(session, AnalysisRun, run.id).status == "done"
    job = fresh(session, Job, job.id)
    assert (job.status, job.attempts, job.error) == ("done", 1, None)
    assert job.finished_at >= job.heartbeat_at >= job.started_at
    board = client.get(f"/manage/{consultation.slug}/themes/{run.id}").data.decode()
    assert "<noscript>" not in board.split("</head>")[0]


def test_each_job_is_claimed_by_exactly_one_of_several_workers(app, session):
    engine = app.extensions["engage.db"]
    with Session(engine) as s:
        for n in range(40):
            job_queue.add(s, "engage.nothing:here", [n])
        s.commit()
    claimed: dict[str, list[int]] = {}
    barrier = threading.Barrier(4)

    def worker(name):
        barrier.wait()
        mine = claimed.setdefault(name, [])
        while True:
            with Session(engine, expire_on_commit=False) as s:
                job = job_queue.claim_next(s, name)
                s.commit()
            if job is None:
                if sum(map(len, claimed.values())) >= 40:
                    return
                continue
            mine.append(job.args[0])

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    everything = sorted(n for got in claimed.values() for n in got)
    assert everything == list(range(40))  # none twice, none missed
    session.expire_all()
    assert {j.status for j in session.exec(select(Job)).all()} == {"running"}


def test_a_job_whose_worker_died_is_shown_failed_within_a_minute_and_can_be_retried(app, client,
                                                                                    session):
    consultation = lead_with_answers(session, client)
    run = start(client, session, consultation)
    with Session(app.extensions["engage.db"]) as s:
        job = job_queue.claim_next(s, "elsewhere:123")
        s.commit()
        job_id = job.id
    run.status, run.step = "running", "Clustering"
    session.add(run)
    session.commit()
    status = client.get(f"/manage/{consultation.slug}/themes/{run.id}/status.json").get_json()
    assert status["status"] == "running"  # its heartbeat is fresh: still alive
    session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - timedelta(seconds=46)))
    session.commit()
    status = client.get(f"/manage/{consultation.slug}/themes/{run.id}/status.json").get_json()
    assert status["status"] == "failed"
    assert "stopped without finishing because the process running it stopped" in status["error"]
    assert fresh(session, Job, job_id).status == "failed"
    page = client.get(f"/manage/{consultation.slug}/themes/{run.id}").data.decode()
    assert "The analysis did not finish" in page and "Try again" in page
    assert client.post(f"/manage/{consultation.slug}/themes/{run.id}/retry").status_code == 302
    retried = session.exec(select(Job).order_by(Job.id.desc())).first()
    assert (retried.status, retried.task) == ("queued", task_name(run_analysis))


def _wait(predicate, timeout=120.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_real_worker_killed_mid_job_is_detected_and_the_retry_runs(app, client, session, db_url,
                                                                      tmp_path):
    app.config["JOB_LOST_AFTER_SECONDS"] = 3
    consultation = lead_with_answers(session, client, responses=60)
    run = start(client, session, consultation)
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": app.config["SECRET_KEY"],
           "JOB_HEARTBEAT_SECONDS": "1", "JOB_LOST_AFTER_SECONDS": "3"}
    with (tmp_path / "worker.log").open("w") as log:
        worker = subprocess.Popen([ENGAGE, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait(lambda: fresh(session, Job, 1).status == "running", what="the worker to claim the job")
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            worker.kill()
    assert fresh(session, AnalysisRun, run.id).status in {"queued", "running"}
    url = f"/manage/{consultation.slug}/themes/{run.id}/status.json"
    _wait(lambda: client.get(url).get_json()["status"] == "failed", timeout=30, what="the lost job")
    assert client.post(f"/manage/{consultation.slug}/themes/{run.id}/retry").status_code == 302
    retry = session.exec(select(AnalysisRun).order_by(AnalysisRun.id.desc())).first()
    done = subprocess.run([ENGAGE, "worker", "--burst"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "stopped after 1 job(s)" in done.stdout
    assert fresh(session, AnalysisRun, retry.id).status == "done"
    assert [j.status for j in session.exec(select(Job).order_by(Job.id)).all()] == ["failed", "done"]
