"""Background jobs kept in the database: the embedded queue, and the record of RQ jobs.

A row outlives the process that queued it and the one that runs it: a job queued before a
restart still runs, and one whose worker died (no heartbeat) is found and marked failed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from ._base import json_column, time_column, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(SQLModel, table=True):
    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="ck_job_status"),
        CheckConstraint("queue IN ('database', 'rq')", name="ck_job_queue"),
        # Workers look for the oldest queued job, and for running jobs whose heartbeat stopped.
        Index("ix_job_status_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: The function to run, as ``module:name`` (only functions of the ``engage`` package run).
    task: str = Field(max_length=200)
    args: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    #: ``database``: an ``engage worker`` claims it; ``rq``: it is pushed to Redis for RQ workers.
    queue: str = Field(default="database", max_length=16)
    status: str = Field(default="queued", max_length=16)
    attempts: int = Field(default=0)
    #: host:pid of the worker that claimed it.
    worker: str | None = Field(default=None, max_length=120)
    error: str | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    #: Not to start before this (a retry waiting out its backoff); null: as soon as a worker is free.
    run_after: datetime | None = Field(default=None, sa_column=time_column())
    #: When it was handed to Redis (RQ jobs); null while Redis could not be reached.
    dispatched_at: datetime | None = Field(default=None, sa_column=time_column())
    started_at: datetime | None = Field(default=None, sa_column=time_column())
    #: Written every few seconds while it runs; a stale heartbeat means the worker died.
    heartbeat_at: datetime | None = Field(default=None, sa_column=time_column())
    finished_at: datetime | None = Field(default=None, sa_column=time_column())
