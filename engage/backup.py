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
from urllib.parse import quote

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


def _sqlite_uri(path: Path, mode: str) -> str:
    """A SQLite URI for the file at ``path``, escaped (``%``, ``#``, ``?`` and spaces are part of
    the name, not of the URI), opened in ``mode``: ro, or rw (never creating the file)."""
    return f"file:{quote(os.fspath(path.absolute()))}?mode={mode}"


def _open_sqlite(path: Path, mode: str) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(_sqlite_uri(path, mode), uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the header
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot open the SQLite database {path}: {exc}.") from None
    return connection


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
    if target.exists() or target.is_symlink():
        raise BackupError(f"{target} already exists. Choose a new file name.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # a missing folder is made
    except OSError as exc:
        raise BackupError(f"Cannot make the folder {target.parent}: {exc.strerror}.") from None
    try:
        if url.startswith("sqlite"):
            source = _open_sqlite(_sqlite_path(url), "ro")  # never creates an empty database
            try:
                dest = sqlite3.connect(target)
                try:
                    with dest:
                        source.backup(dest)  # a consistent copy, even while others write
                finally:
                    dest.close()
            except sqlite3.Error as exc:
                raise BackupError(f"Cannot write the backup to {target}: {exc}.") from None
            finally:
                source.close()
        else:
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)], _pg_env(url))
        target.chmod(0o600)
    except BaseException:
        target.unlink(missing_ok=True)  # no partial backup left to be mistaken for a whole one
        raise


def restore(url: str, source: Path) -> None:
    """Replace the database at ``url`` with the backup in ``source``."""
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    try:
        with source.open("rb") as f:
            header = f.read(16)
    except OSError as exc:
        raise BackupError(f"Cannot read {source}: {exc.strerror}.") from None
    if url.startswith("sqlite"):
        if header != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite backup of Engage.")
        backup_db = _open_sqlite(source, "ro")
        try:
            tables = {r[0] for r in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                raise BackupError(f"{source} is a SQLite file but not an Engage database.")
            dest = _open_sqlite(_sqlite_path(url), "rw")  # the database must be there already
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
