"""The job queue's operations on the ``job`` table: add, claim, beat, finish, find the lost.

Claiming is atomic on both databases: PostgreSQL skips rows another worker has locked
(``FOR UPDATE SKIP LOCKED``); on SQLite, which ignores that clause, the guarded UPDATE
(``... WHERE id = ? AND status = 'queued'``) lets exactly one worker win a row. Operations flush;
the caller commits (a worker commits a claim before it starts the work).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, select

from .models import Job, utcnow

#: How long finished jobs are kept: done ones long enough to look into a slow week; failed ones as
#: long as failed emails (admins may ask why something never arrived).
KEEP_DONE = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


def add(session: Session, task: str, args: list, queue: str = "database",
        run_after: datetime | None = None) -> Job:
    """Queue a job; with ``run_after``, no worker starts it before then (a retry's backoff)."""
    job = Job(task=task, args=list(args), queue=queue, run_after=run_after)
    session.add(job)
    session.flush()
    return job


def waiting_args(session: Session, task: str) -> list[list]:
    """The arguments of ``task``'s jobs that no worker has started, their rows locked until the
    caller commits: on PostgreSQL a worker skips a locked row, and on SQLite the caller, having
    written, holds the database until then; so none of them starts before what the caller changes
    is there for it to read."""
    return [job.args for job in session.execute(select(Job).where(Job.task == task, Job.status == "queued")
                                                .with_for_update()).scalars()]


def _take(session: Session, job_id: int, worker: str) -> bool:
    now = utcnow()
    taken = session.execute(
        update(Job).where(Job.id == job_id, Job.status == "queued")
        .values(status="running", worker=worker[:120], started_at=now, heartbeat_at=now,
                attempts=Job.attempts + 1)).rowcount
    return taken == 1


def claim_next(session: Session, worker: str) -> Job | None:
    """The oldest queued job of the database queue that is due, now running for ``worker``; None
    if none."""
    for _ in range(5):  # another worker may win the row between the look and the update
        job_id = session.exec(select(Job.id).where(Job.status == "queued", Job.queue == "database",
                                                   or_(Job.run_after.is_(None), Job.run_after <= utcnow()))
                              .order_by(Job.id).limit(1).with_for_update(skip_locked=True)).first()
        if job_id is None:
            return None
        if _take(session, job_id, worker):
            return session.get(Job, job_id, populate_existing=True)
    return None


def claim(session: Session, job_id: int, worker: str) -> Job | None:
    """A given job (an RQ worker runs the one it was handed), if it is still waiting."""
    return session.get(Job, job_id, populate_existing=True) if _take(session, job_id, worker) else None


def heartbeat(session: Session, job_id: int, worker: str) -> bool:
    """Say the job is still running; False if it is no longer ours (e.g. it was marked lost)."""
    return session.execute(update(Job).where(Job.id == job_id, Job.worker == worker[:120],
                                             Job.status == "running")
                           .values(heartbeat_at=utcnow())).rowcount == 1


def finish(session: Session, job_id: int, error: str | None = None) -> None:
    session.execute(update(Job).where(Job.id == job_id, Job.status == "running")
                    .values(status="failed" if error else "done", error=error and error[:2000],
                            finished_at=utcnow()))


def mark_lost(session: Session, lost_after: timedelta) -> list[Job]:
    """Running jobs whose heartbeat stopped more than ``lost_after`` ago: their worker died.
    Each is marked failed (once, whoever looks first) and returned so its owner can be told."""
    cutoff = utcnow() - lost_after
    lost = []
    for job in session.exec(select(Job).where(Job.status == "running", Job.heartbeat_at < cutoff)).all():
        marked = session.execute(
            update(Job).where(Job.id == job.id, Job.status == "running", Job.heartbeat_at < cutoff)
            .values(status="failed", finished_at=utcnow(),
                    error="Its worker stopped before the job finished.")).rowcount
        if marked == 1:
            lost.append(job)
    return lost


def undispatched(session: Session) -> list[Job]:
    """RQ jobs still waiting to be handed to Redis (it could not be reached when they were queued)."""
    return session.exec(select(Job).where(Job.status == "queued", Job.queue == "rq",
                                          Job.dispatched_at.is_(None)).order_by(Job.id)).all()


def mark_dispatched(session: Session, job_id: int) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(dispatched_at=utcnow()))


def waiting(session: Session) -> int:
    """How many jobs wait for a worker (for /health)."""
    return session.exec(select(func.count()).select_from(Job).where(Job.status == "queued")).one()


def clear_finished(session: Session, now: datetime | None = None) -> int:
    """Delete jobs that finished long enough ago (see ``KEEP_DONE``/``KEEP_FAILED``); the table
    would otherwise grow by a row per email and analysis for ever. Returns how many."""
    now = now or utcnow()
    return session.execute(delete(Job).where(or_(
        (Job.status == "done") & (Job.finished_at < now - KEEP_DONE),
        (Job.status == "failed") & (Job.finished_at < now - KEEP_FAILED)))).rowcount
