"""`engage export`: a file it cannot write is one line, never a traceback, and never a partial file
(written beside it, renamed once whole); an analysis number too big for the database names none."""

from __future__ import annotations

import errno
import os

import pytest
from sqlmodel import func, select

from engage import cli
from engage.reports import responses as response_files
from surveys.models import AuditEvent

from ..factories import demo_consultation
from .reports.test_reports import start
from .test_cli_database_url import _one_line

SLUG = "technology-in-the-nhs"


def exports(session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "responses.export")).one()


@pytest.fixture
def folder(tmp_path):
    """A folder of its own (the test's SQLite database is in tmp_path)."""
    path = tmp_path / "exports"
    path.mkdir()
    return path


def test_responses_to_a_folder_that_is_not_there_or_a_full_disk_is_one_line(runner, session, folder):
    demo_consultation(session)
    missing = folder / "no" / "such" / "folder" / "out.csv"
    _one_line(runner.invoke(cli.main, ["export", "responses", SLUG, "-o", str(missing)]),
              f"Cannot write {missing}: No such file or directory.")
    not_a_folder = folder / "a-file"
    not_a_folder.write_text("x")
    _one_line(runner.invoke(cli.main, ["export", "responses", SLUG, "-o", str(not_a_folder / "out.csv")]),
              "Cannot write")
    if os.path.exists("/dev/full"):
        _one_line(runner.invoke(cli.main, ["export", "responses", SLUG, "-o", "/dev/full"]),
                  "Cannot write /dev/full: No space left on device.")
    assert exports(session) == 0  # nothing was written, so no export is recorded
    assert sorted(p.name for p in folder.iterdir()) == ["a-file"]


def test_a_failed_export_leaves_the_old_file_whole_and_no_partial_one(runner, session, folder, monkeypatch):
    demo_consultation(session)
    path = folder / "responses.csv"
    path.write_bytes(b"last week's export\n")
    chunks = response_files.chunks

    def disk_fills_half_way(*args):
        stream = chunks(*args)
        yield next(stream)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(response_files, "chunks", disk_fills_half_way)
    _one_line(runner.invoke(cli.main, ["export", "responses", SLUG, "-o", str(path)]),
              f"Cannot write {path}: No space left on device.")
    assert path.read_bytes() == b"last week's export\n"
    assert [p.name for p in folder.iterdir()] == ["responses.csv"]
    monkeypatch.setattr(response_files, "chunks", chunks)
    done = runner.invoke(cli.main, ["export", "responses", SLUG, "-o", str(path)])
    assert done.exit_code == 0 and f"Wrote {path} ({path.stat().st_size:,} bytes)." in done.output
    assert path.read_bytes().startswith(b"\xef\xbb\xbfRespondent number,")
    assert [p.name for p in folder.iterdir()] == ["responses.csv"] and exports(session) == 1


@pytest.mark.parametrize("run_id", ["99999999999999999999999", str(2**63), str(2**31)])
def test_an_analysis_number_too_big_for_the_database_is_no_analysis(runner, session, run_id):
    demo_consultation(session)
    result = runner.invoke(cli.main, ["export", "report", SLUG, "--", run_id])
    _one_line(result, f"{SLUG} has no analysis {run_id}.")


def test_a_report_that_cannot_be_written_is_one_line(app, client, session, folder):
    from ..factories import signed_in_lead_with_answers

    run = start(client, session, signed_in_lead_with_answers(app, session, client, 40))
    runner = app.test_cli_runner()
    missing = folder / "no" / "folder" / "report.json"
    _one_line(runner.invoke(cli.main, ["export", "report", SLUG, str(run.id), "--format", "json",
                                       "-o", str(missing)]),
              f"Cannot write {missing}: No such file or directory.")
    assert list(folder.iterdir()) == []
    path = folder / "report.json"
    done = runner.invoke(cli.main, ["export", "report", SLUG, str(run.id), "--format", "json",
                                    "-o", str(path)])
    assert done.exit_code == 0 and f"Wrote {path} ({path.stat().st_size:,} bytes)." in done.output
    assert [p.name for p in folder.iterdir()] == ["report.json"]
