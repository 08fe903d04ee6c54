"""Background jobs, never in a web worker: a queue in the database served by ``engage worker``
by default, RQ workers when REDIS_URL is set.

Every job has a row in the ``job`` table, whichever runs it, so a job outlives a restart of the
server; a running job writes a heartbeat, and one whose heartbeat stops (its worker was killed)
is marked failed within ``JOB_LOST_AFTER_SECONDS`` and its owner told (``func.on_failure``), so a
facilitator sees it failed and can try again. A job is a plain function of the ``engage`` package
taking simple arguments; it opens its own units of work.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta
from importlib import import_module

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from surveys import job_queue
from surveys.models import utcnow
from surveys.wording import N_, said

from .db import unit_of_work

QUEUE = "engage"
_AFTER_COMMIT = "engage.jobs.after_commit"
log = logging.getLogger(__name__)


def task_name(func) -> str:
    return f"{func.__module__}:{func.__qualname__}"


def resolve(task: str):
    """The function a job row names; only functions of this package ever run."""
    module, _, name = task.partition(":")
    if not module.startswith("engage.") or not name.isidentifier():
        raise ValueError(f"Not an Engage job: {task!r}")
    return getattr(import_module(module), name)


def enqueue(func, *args, app: Flask | None = None, not_before: datetime | None = None) -> None:
    """Queue ``func(*args)``; the request that calls this has already committed what it reads.
    With ``not_before`` (UTC) the job waits until then (a retry's backoff) without holding a worker."""
    app = app or current_app._get_current_object()
    with unit_of_work(app) as s:
        add_job(s, func, *args, app=app, not_before=not_before)


def add_job(session, func, *args, app: Flask | None = None, not_before: datetime | None = None) -> None:
    """Add the job's row in the caller's transaction, so it exists exactly when what it works on
    does (and not at all if that rolls back). Once the transaction commits, Redis is handed the
    job (with REDIS_URL), or, with JOBS_INLINE (tests that want the result at once), it runs."""
    app = app or current_app._get_current_object()
    after = session.info.setdefault(_AFTER_COMMIT, [])
    if app.config.get("JOBS_INLINE"):
        after.append((app, func, args))
        return
    redis = bool(app.config.get("REDIS_URL"))
    job_queue.add(session, task_name(func), list(args), "rq" if redis else "database", not_before)
    if redis:
        after.append((app, dispatch, ()))


def _after_commit(session) -> None:
    # SQLAlchemy says "after_commit" when a savepoint is released too (a kiosk stores each
    # response in one): what it added is not committed yet, and a job started now would look for
    # rows no other connection can see (a safeguarding email stayed unsent on PostgreSQL).
    if session.in_nested_transaction():
        return
    for app, func, args in session.info.pop(_AFTER_COMMIT, ()):
        with app.app_context():
            func(*args) if func is not dispatch else dispatch(app)


def _forget(session, previous_transaction) -> None:
    # Not when a savepoint rolls back: the rest of the transaction may still commit, with work
    # queued before the savepoint (a job of rows the savepoint undid finds nothing and ends).
    if not previous_transaction.nested:
        session.info.pop(_AFTER_COMMIT, None)


def listen() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _forget)


def dispatch(app: Flask) -> int:
    """Hand RQ jobs not yet handed over to Redis; if Redis cannot be reached they wait in the
    database and go when it is back (the next job queued, or a look at a job's progress)."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    sent = 0
    try:
        with Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2,
                            socket_timeout=5) as connection, unit_of_work(app) as s:
            queue = Queue(QUEUE, connection=connection)
            for job in job_queue.undispatched(s):
                if job.run_after and job.run_after > utcnow():  # RQ's scheduler starts it then
                    queue.enqueue_at(job.run_after.replace(tzinfo=UTC), run_rq_job, job.id,
                                     job_timeout=3600)
                else:
                    queue.enqueue(run_rq_job, job.id, job_timeout=3600)
                job_queue.mark_dispatched(s, job.id)
                sent += 1
    except RedisError as exc:
        log.warning("Redis cannot be reached (%s): jobs wait in the database until it can.", exc)
    return sent


def check(app: Flask, session) -> None:
    """Mark jobs whose worker died as failed and tell their owners (in ``session``); with Redis,
    hand over jobs that waited for it. Cheap: an indexed look at running jobs."""
    lost_after = timedelta(seconds=app.config.get("JOB_LOST_AFTER_SECONDS", 45))
    for job in job_queue.mark_lost(session, lost_after):
        _tell_owner(session, job.task, job.args, said(N_("It stopped without finishing because the process "
                                                         "running it stopped. Try it again.")))
    if app.config.get("REDIS_URL") and job_queue.undispatched(session):
        dispatch(app)


def _tell_owner(session, task: str, args: list, message: dict) -> None:
    """Call the task's ``on_failure`` with why it stopped (:func:`surveys.wording.said`: a record made
    now may be read later, in the reader's language)."""
    on_failure = getattr(resolve(task), "on_failure", None)
    if on_failure is not None:
        on_failure(session, *args, message=message)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(app: Flask, job_id: int, task: str, args: list, worker: str) -> None:
    """Run a claimed job with a heartbeat beside it; record how it ended."""
    stop = threading.Event()
    interval = app.config.get("JOB_HEARTBEAT_SECONDS", 10)

    def beat():
        while not stop.wait(interval):
            try:
                with unit_of_work(app) as s:
                    job_queue.heartbeat(s, job_id, worker)
            except Exception:  # noqa: BLE001 - a missed beat is retried at the next interval
                log.exception("Job %s: heartbeat not written", job_id)

    beating = threading.Thread(target=beat, name=f"engage-heartbeat-{job_id}", daemon=True)
    beating.start()
    error = None
    try:
        with app.app_context():
            resolve(task)(*args)
    except Exception as exc:  # noqa: BLE001 - the job row says what went wrong
        log.exception("Job %s (%s) failed", job_id, task)
        error = f"{type(exc).__name__}: {exc}"
    finally:
        stop.set()
        beating.join()
    with unit_of_work(app) as s:
        job_queue.finish(s, job_id, error)
        if error:
            _tell_owner(s, task, args, said(N_("The job stopped: %(error)s"), error=error))


def run_rq_job(job_id: int) -> None:
    """Run inside an RQ worker: build the app from the same environment as the web processes and
    run the job its row describes, unless another worker already has."""
    from . import create_app
    from .db import engine

    app = create_app()
    try:
        worker = worker_name()
        with unit_of_work(app) as s:
            job = job_queue.claim(s, job_id, worker)
            claimed = job and (job.task, list(job.args))
        if claimed:
            execute(app, job_id, *claimed, worker)
    finally:
        # A worker that runs jobs in-process (SimpleWorker) would otherwise keep one pool per job.
        engine(app).dispose()
