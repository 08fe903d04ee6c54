"""The database: one engine per app, one session per request, committed in one place.

A request's session commits once after a successful response (status below 400) and rolls back
on anything else, so a refused or failed request never half-saves. Jobs and CLI commands get the
same guarantee from ``unit_of_work``. Operations in ``surveys`` add and flush, never commit.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlmodel import Session

EXTENSION = "engage.db"


def make_engine(url: str) -> Engine:
    """Create an engine with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            # WAL lets readers carry on while a writer saves; foreign keys are off by default.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = make_engine(app.config["DATABASE_URL"])
    app.after_request(_commit_on_success)
    app.teardown_request(_close_session)


def engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions[EXTENSION]


def session() -> Session:
    """The current request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def _commit_on_success(response):
    s = g.get("db_session")
    if s is not None:
        if response.status_code < 400:
            s.commit()
        else:
            s.rollback()
    return response


def _close_session(exc):
    s = g.pop("db_session", None)
    if s is not None:
        if exc is not None:
            s.rollback()
        s.close()


def refresh_statistics(app: Flask | None = None) -> None:
    """Let the query planner see how big the tables have grown, so it picks the covering indexes.

    PostgreSQL's autovacuum does this by itself; SQLite only when asked. ``engage purge`` (run
    daily) and ``engage demo load`` call it. SQLite reads every row (a few seconds at 4.5 million
    answers): from a sample of each index it judged every question to have about a thousand
    answers, and read written answers through the wrong index (seconds per page).
    """
    with engine(app).connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=0")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


@contextmanager
def unit_of_work(app: Flask | None = None):
    """A session for a job or CLI command: commits once at the end, rolls back on error."""
    with Session(engine(app), expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
