"""With REDIS_URL set, analysis runs on an RQ worker (a real Redis server on loopback)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from redis import Redis
from rq import Queue, SimpleWorker
from sqlmodel import select

from engage.jobs import QUEUE
from engage.sample_responses import add_sample_responses
from surveys.models import AnalysisRun, Job, Question, Theme

from ...factories import PASSWORD, demo_consultation, user
from ...servers import free_port

ENGAGE = str(Path(sys.executable).parent / "engage")


def test_analysis_job_goes_through_redis_to_a_worker(app, client, session, redis_server, db_url,
                                                      monkeypatch):
    app.config["REDIS_URL"] = redis_server.url
    # The worker builds its own app from the environment, as it would on another host.
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])
    consultation = demo_consultation(session)
    add_sample_responses(session, consultation, 40)
    session.commit()
    user(session, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    session.expire_all()
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "queued"  # nothing ran in the web process
    connection = Redis.from_url(redis_server.url)
    queue = Queue(QUEUE, connection=connection)
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    session.expire_all()
    run = session.get(AnalysisRun, run.id)
    assert run.status == "done", run.error
    assert session.exec(select(Theme).where(Theme.run_id == run.id)).first() is not None
    connection.flushdb()
    connection.close()


def _signed_in_lead(session, client):
    consultation = demo_consultation(session)
    add_sample_responses(session, consultation, 40)
    session.commit()
    user(session, "lead@example.nhs.uk", "facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    return consultation


def test_with_redis_down_jobs_wait_in_the_database_and_go_when_it_returns(app, client, session,
                                                                         redis_server, db_url,
                                                                         monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])
    consultation = _signed_in_lead(session, client)
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    response = client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    assert response.status_code == 302  # the facilitator is not shown an error
    job = session.exec(select(Job)).one()
    assert (job.queue, job.status, job.dispatched_at) == ("rq", "queued", None)
    run_url = response.headers["Location"]
    assert "Finding themes" in client.get(run_url).data.decode()  # still waiting, not lost
    app.config["REDIS_URL"] = redis_server.url  # Redis is back
    client.get(run_url)
    connection = Redis.from_url(redis_server.url)
    queue = Queue(QUEUE, connection=connection)
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    session.expire_all()
    assert session.exec(select(AnalysisRun)).one().status == "done"
    assert session.get(Job, job.id).status == "done"
    connection.flushdb()
    connection.close()


def test_an_rq_worker_killed_mid_job_is_shown_failed_and_the_retry_runs(app, client, session,
                                                                        redis_server, db_url, tmp_path):
    app.config.update(REDIS_URL=redis_server.url, JOB_LOST_AFTER_SECONDS=3)
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": app.config["SECRET_KEY"],
           "REDIS_URL": redis_server.url, "JOB_HEARTBEAT_SECONDS": "1", "JOB_LOST_AFTER_SECONDS": "3"}
    consultation = _signed_in_lead(session, client)
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    response = client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    run_url = response.headers["Location"]
    with (tmp_path / "rq.log").open("w") as log:
        # `engage worker` with REDIS_URL set is an RQ worker; it forks a work horse per job.
        worker = subprocess.Popen([ENGAGE, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while (seen := session.exec(select(Job.status)).one()) != "running":
                assert seen == "queued" and time.monotonic() < deadline, seen
                time.sleep(0.1)
            # The worker and the work horse it forked for the job (in a session of its own), as a
            # crash or the OOM killer would.
            children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
            for pid in [*map(int, children), worker.pid]:
                os.kill(pid, signal.SIGKILL)
        finally:
            worker.wait(10)
    status_url = run_url + "/status.json"
    deadline = time.monotonic() + 30
    while client.get(status_url).get_json()["status"] != "failed":
        assert time.monotonic() < deadline, "the dead RQ job was not noticed"
        time.sleep(0.5)
    assert "Try again" in client.get(run_url).data.decode()
    assert client.post(run_url + "/retry").status_code == 302
    done = subprocess.run([ENGAGE, "worker", "--burst"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    session.expire_all()
    runs = session.exec(select(AnalysisRun).order_by(AnalysisRun.id)).all()
    assert [r.status for r in runs] == ["failed", "done"]
    Redis.from_url(redis_server.url).flushdb()
