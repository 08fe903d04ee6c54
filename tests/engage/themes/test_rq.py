"""With REDIS_URL set, analysis runs on an RQ worker (a real Redis server on loopback)."""

import shutil

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlmodel import select

from engage.jobs import QUEUE
from engage.sample_responses import add_sample_responses
from surveys.models import AnalysisRun, Question, Theme

from ...conftest import missing
from ...factories import PASSWORD, demo_consultation, user
from ...servers import RedisServer


@pytest.fixture(scope="module")
def redis_server():
    if shutil.which("redis-server") is None:
        missing("Redis (Debian package: redis-server)")
    server = RedisServer().start()
    yield server
    server.stop()


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
