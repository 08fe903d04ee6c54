"""A DATABASE_URL the command line cannot use: every command that needs the database says so in one
line and stops (exit 1), with no traceback, and no empty SQLite file is made where there was none
(only `engage db upgrade` makes the database)."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from engage import cli

SECRET = "test-secret-key-that-is-long-enough-0123456789"

COMMANDS = [
    ["purge"],
    ["purge", "--dry-run"],
    ["users", "create", "someone@example.nhs.uk", "--generate"],
    ["users", "reset-password", "someone@example.nhs.uk", "--generate"],
    ["demo", "load"],
    ["consultations", "export", "technology-in-the-nhs"],
    ["export", "responses", "technology-in-the-nhs", "-o", "{tmp}/out.csv"],
    ["export", "report", "technology-in-the-nhs", "1", "-o", "{tmp}/out.pdf"],
    ["backup", "{tmp}/engage.backup"],
    ["restore", "--yes", "{tmp}/engage.backup"],
]


def _closed_port() -> int:
    """A local port nothing listens on (a PostgreSQL that refuses the connection)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _urls(tmp_path) -> dict[str, tuple[str, str]]:
    """name: (DATABASE_URL, what the line says)."""
    (tmp_path / "answers.csv").write_text("a,b\n1,2\n")
    (tmp_path / "a-folder").mkdir()
    return {
        "missing file": (f"sqlite:///{tmp_path}/missing.sqlite3", "There is no database at"),
        "missing folder": (f"sqlite:///{tmp_path}/no/such/folder/engage.sqlite3", "There is no database at"),
        "not a URL": ("nonsense", "is not a database address"),
        "driver missing": ("mysql://engage:s3cr3t-pw@localhost/engage", "driver"),
        "server refuses": (f"postgresql+psycopg://engage:s3cr3t-pw@127.0.0.1:{_closed_port()}/engage",
                           "cannot reach the database"),
        "a CSV file": (f"sqlite:///{tmp_path}/answers.csv", "file is not a database"),
        "a folder": (f"sqlite:///{tmp_path}/a-folder", "not a file"),
    }


def _invoke(tmp_path, url: str, args: list[str]):
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "ENGAGE_ENV": "development",
           "ENGAGE_ENV_FILE": str(tmp_path / "no-settings-file"), "REDIS_URL": ""}
    return CliRunner().invoke(cli.main, [a.format(tmp=tmp_path) for a in args], env=env)


def _files(tmp_path) -> dict:
    return {p.relative_to(tmp_path): p.read_bytes() if p.is_file() else None for p in tmp_path.rglob("*")}


def _one_line(result, says: str) -> None:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], result.output
    assert "Traceback" not in result.output and "s3cr3t-pw" not in result.output


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_every_command_says_in_one_line_that_the_database_cannot_be_used(tmp_path, args):
    urls = _urls(tmp_path)
    (tmp_path / "engage.backup").write_bytes(b"SQLite format 3\x00" + bytes(100))
    before = _files(tmp_path)
    for name, (url, says) in urls.items():
        result = _invoke(tmp_path, url, args)
        _one_line(result, says)
        assert _files(tmp_path) == before, name  # no empty database, no backup, no export


def test_db_upgrade_says_in_one_line_why_it_cannot_and_still_makes_a_new_database(tmp_path):
    urls = _urls(tmp_path)
    for name in ("not a URL", "driver missing", "server refuses", "a CSV file", "a folder"):
        _one_line(_invoke(tmp_path, urls[name][0], ["db", "upgrade"]), "DATABASE_URL")
    # Making the database (and its folder) is its job; then the commands work.
    url = f"sqlite:///{tmp_path}/new/engage.sqlite3"
    assert _invoke(tmp_path, url, ["db", "upgrade"]).exit_code == 0
    result = _invoke(tmp_path, url, ["users", "create", "someone@example.nhs.uk", "--generate"])
    assert result.exit_code == 0 and "Created facilitator someone@example.nhs.uk" in result.output
    result = _invoke(tmp_path, url, ["backup", str(tmp_path / "engage.backup")])
    assert result.exit_code == 0 and (tmp_path / "engage.backup").is_file(), result.output
