"""Shared fixtures: every database test runs on SQLite and again on a real PostgreSQL server."""

from __future__ import annotations

import gc
import itertools
import os
import shutil
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from engage import create_app
from surveys import migrate

from .servers import PostgresServer, RedisServer, pg_bindir

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_counter = itertools.count()


def missing(what: str):
    """Skip locally when a server is missing; in CI a missing server is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"{what} is missing in CI: .ci/run must install it", pytrace=False)
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_server():
    if pg_bindir() is None:
        missing("PostgreSQL")
    server = PostgresServer().start()
    migrate.upgrade(_create_pg_db(server, "engage_template"))
    yield server
    server.stop()


def _create_pg_db(server: PostgresServer, name: str, template: str | None = None) -> str:
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    engine.dispose()
    return server.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, sqlite_template):
    """A fresh, migrated database per test, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "engage.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    server = request.getfixturevalue("pg_server")
    return _create_pg_db(server, f"test_{os.getpid()}_{next(_counter)}", "engage_template")


@pytest.fixture
def app(db_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": db_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
        # A consultation opens only while a safeguarding lead is named (as production requires);
        # no test signs in as this one. Tests about the leads name their own.
        "SAFEGUARDING_LEADS": frozenset({"safeguarding@example.nhs.uk"}),
    })
    yield app
    # A background job still running holds a connection that dispose() cannot close.
    for thread in threading.enumerate():
        if thread.name.startswith("engage-job-"):
            thread.join(60)
    app.extensions["engage.db"].dispose()
    gc.collect()  # a leaked connection warns here, in the test that leaked it


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A session on the test database, for setting up and checking what was stored."""
    with Session(app.extensions["engage.db"], expire_on_commit=False) as s:
        yield s


@pytest.fixture(scope="module")
def redis_server():
    if shutil.which("redis-server") is None:
        missing("Redis (Debian package: redis-server)")
    server = RedisServer().start()
    yield server
    server.stop()
