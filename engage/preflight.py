"""Checks before serving: the settings make sense and the database is there and up to date.

Each problem is one line a sysadmin can act on, not a traceback; ``/health`` uses the same
checks of the database and the job queue.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from surveys import migrate


class NotReady(RuntimeError):
    """What stops Engage from serving, in one line."""


def _where(url: str) -> str:
    """The database address without a password."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        rest = f"{credentials.split(':', 1)[0]}@{host}"
    return f"{scheme}://{rest}"


def _reason(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]


def unreachable(url: str, exc: BaseException) -> NotReady:
    """The one line for a database that cannot be opened (``exc``: why)."""
    return NotReady(f"Engage cannot reach the database at {_where(url)}: {_reason(exc)}. Check "
                    "DATABASE_URL and that the database server is running.")


def address(url: str) -> None:
    """Raises NotReady if SQLAlchemy cannot read DATABASE_URL or its driver is not installed
    (before any connection: the engine cannot even be made)."""
    try:
        make_url(url).get_dialect().import_dbapi()
    except ArgumentError as exc:
        raise NotReady(f"DATABASE_URL {_where(url)!r} is not a database address Engage can use "
                       f"({_reason(exc)}); it looks like postgresql+psycopg://user@host/engage or "
                       "sqlite:////var/lib/engage/engage.sqlite3.") from None
    except ImportError as exc:
        raise NotReady(f"The database driver for {_where(url)} is not installed ({_reason(exc)}): "
                       "check DATABASE_URL (Engage uses PostgreSQL or SQLite).") from None


def sqlite_file(url: str) -> None:
    """Raises NotReady if ``url`` names a SQLite file that is not there (connecting would make an
    empty one) or is not a file; other databases are checked by connecting."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:" \
            or u.database.startswith("file:"):
        return
    path = Path(u.database)
    if not path.exists():
        raise NotReady(f"There is no database at {os.path.abspath(path)}: run `engage db upgrade` "
                       "to make one, or check DATABASE_URL.")
    if not path.is_file():
        raise NotReady(f"Engage cannot use {os.path.abspath(path)} as its database: it is not a file. "
                       "Check DATABASE_URL.")


def database(app: Flask, need: str = "current") -> str | None:
    """The schema revision; raises NotReady if the database cannot be reached or is not migrated.

    ``need``: "current" (migrated to this version's revision: serving, and most commands),
    "engage" (Engage's tables at any revision: a backup before an upgrade) or "reachable" (can
    be opened: a restore, which brings its own tables). A SQLite file is never created here.
    """
    url = app.config["DATABASE_URL"]
    sqlite_file(url)
    try:
        with app.extensions["engage.db"].connect() as conn:
            if not inspect(conn).has_table("alembic_version"):  # reads the schema: a real database
                if need == "reachable":
                    return None
                raise NotReady(f"The database at {_where(url)} has no Engage tables yet: run "
                               "`engage db upgrade` (with the same environment).")
            tables = conn.execute(text(
                "SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError as exc:
        raise unreachable(url, exc) from None
    if need != "current":
        return tables[0] if tables else None
    head = migrate.current_head()
    if tables != [head]:
        raise NotReady(f"The database at {_where(url)} is at schema revision "
                       f"{tables[0] if tables else 'none'}, this Engage needs {head}: run "
                       "`engage db upgrade`.")
    return head


def queue(app: Flask) -> str:
    """'redis' or 'database'; raises NotReady if Redis is configured but cannot be reached."""
    if not app.config.get("REDIS_URL"):
        return "database"
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        with Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2,
                            socket_timeout=2) as connection:
            connection.ping()
    except RedisError as exc:
        raise NotReady(f"Redis at {_where(app.config['REDIS_URL'])} cannot be reached ({exc}); "
                       "jobs wait in the database until it can.") from None
    return "redis"
