"""Back up the database to one file and restore it: SQLite with its online backup API (safe while
Engage is serving), PostgreSQL with ``pg_dump`` / ``pg_restore`` (custom format).

The backup holds everything, people's answers included: keep it as carefully as the database
(encrypted storage, the same retention), and delete it when the retention period has passed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _pg_env(url: str) -> dict:
    """libpq settings from the URL, passed in the environment so no password shows in `ps`."""
    u = make_url(url)
    env = dict(os.environ)
    for name, value in (("PGHOST", u.host), ("PGPORT", u.port), ("PGUSER", u.username),
                        ("PGPASSWORD", u.password), ("PGDATABASE", u.database)):
        if value is not None:
            env[name] = str(value)
    for name, value in u.query.items():  # e.g. ?host=/run/postgresql for a socket
        if name == "host":
            env["PGHOST"] = value if isinstance(value, str) else value[0]
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed. Install the PostgreSQL client tools "
                          "(Debian package: postgresql-client) of the server's version.")
    return path


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def backup(url: str, target: Path) -> None:
    """Write a backup of the database at ``url`` to ``target`` (which must not exist yet)."""
    if target.exists():
        raise BackupError(f"{target} already exists. Choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(url))
        dest = sqlite3.connect(target)
        try:
            with dest:
                source.backup(dest)  # a consistent copy, even while others write
        finally:
            dest.close()
            source.close()
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)], _pg_env(url))
    target.chmod(0o600)


def restore(url: str, source: Path) -> None:
    """Replace the database at ``url`` with the backup in ``source``."""
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    header = source.read_bytes()[:16]
    if url.startswith("sqlite"):
        if header != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite backup of Engage.")
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                raise BackupError(f"{source} is a SQLite file but not an Engage database.")
            dest = sqlite3.connect(_sqlite_path(url))
            try:
                with dest:
                    backup_db.backup(dest)
            finally:
                dest.close()
        finally:
            backup_db.close()
    else:
        if not header.startswith(PG_CUSTOM_HEADER):
            raise BackupError(f"{source} is not a PostgreSQL backup made by engage backup.")
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", _pg_env(url)["PGDATABASE"], str(source)], _pg_env(url))
