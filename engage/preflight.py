"""Checks before serving: the settings make sense and the database is there and up to date.

Each problem is one line a sysadmin can act on, not a traceback; ``/health`` uses the same
checks of the database and the job queue.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from surveys import migrate


class NotReady(RuntimeError):
    """What stops Engage from serving, in one line."""


def _where(url: str) -> str:
    """The database address without a password."""
    scheme, _, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        rest = f"{credentials.split(':', 1)[0]}@{host}"
    return f"{scheme}://{rest}"


def database(app: Flask) -> str:
    """The schema revision; raises NotReady if the database cannot be reached or is not migrated."""
    url = app.config["DATABASE_URL"]
    try:
        with app.extensions["engage.db"].connect() as conn:
            tables = conn.execute(text(
                "SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", exc) or exc).split())[:300]
        if "alembic_version" in reason:
            raise NotReady(f"The database at {_where(url)} has no Engage tables yet: run "
                           "`engage db upgrade` (with the same environment).") from None
        raise NotReady(f"Engage cannot reach the database at {_where(url)}: {reason}. Check "
                       "DATABASE_URL and that the database server is running.") from None
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
