"""`engage backup` and `engage restore` round-trip the whole database, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

from sqlmodel import select

from engage import cli, create_app
from surveys.models import Answer, Consultation, Respondent, User

from ..factories import demo_consultation, user
from ..journey_helpers import complete


def state(session) -> tuple:
    session.expire_all()
    return (sorted(session.exec(select(Consultation.slug, Consultation.title)).all()),
            sorted(session.exec(select(User.email, User.password_hash)).all()),
            sorted(session.exec(select(Respondent.reference)).all()),
            sorted(session.exec(select(Answer.id, Answer.text_redacted)).all()))


def test_backup_then_restore_brings_back_exactly_what_was_there(app, session, tmp_path):
    consultation = demo_consultation(session)
    slug = consultation.slug
    user(session, "fac@example.nhs.uk", "facilitator", (consultation,))
    complete(app.test_client(), slug=slug)
    before = state(session)
    session.close()
    runner = app.test_cli_runner()
    file = tmp_path / "backups" / "engage.backup"
    r = runner.invoke(cli.main, ["backup", str(file)])
    assert r.exit_code == 0, r.output
    assert "Backed up the database to" in r.output and file.stat().st_mode & 0o077 == 0
    # Life goes on after the backup: a change, and a loss.
    demo_consultation(session, slug="made-after-the-backup")
    c = session.exec(select(Consultation).where(Consultation.slug == slug)).one()
    session.delete(c)
    session.commit()
    assert state(session) != before
    session.close()
    r = runner.invoke(cli.main, ["restore", str(file)], input="n\n")
    assert r.exit_code != 0 and state(session) != before  # asked, and refused: nothing changed
    session.close()
    r = runner.invoke(cli.main, ["restore", str(file), "--yes"])
    assert r.exit_code == 0, r.output
    assert state(session) == before
    session.close()
    # The restored database is in use at once.
    assert app.test_client().get(f"/c/{slug}/").status_code == 200


def test_backup_and_restore_explain_what_is_wrong(app, tmp_path):
    runner = app.test_cli_runner()
    existing = tmp_path / "taken"
    existing.write_text("x")
    r = runner.invoke(cli.main, ["backup", str(existing)])
    assert r.exit_code != 0 and "already exists" in r.output and existing.read_text() == "x"
    r = runner.invoke(cli.main, ["restore", str(tmp_path / "missing"), "--yes"])
    assert r.exit_code != 0 and "There is no backup file at" in r.output
    r = runner.invoke(cli.main, ["restore", str(existing), "--yes"])
    assert r.exit_code != 0 and "is not a" in r.output
    assert "Traceback" not in r.output


def test_restore_reads_the_file_named_whatever_is_in_its_name(app, session, tmp_path, db_url):
    """A SQLite URI must escape the name: `%2E` is not `.`, and `#` or `?` do not end it (pg_dump
    and pg_restore are given the name as it is, and must keep doing so)."""
    consultation = demo_consultation(session)
    session.close()
    runner = app.test_cli_runner()
    folder = tmp_path / "backups"
    folder.mkdir()
    decoy = sqlite3.connect(folder / "engage.backup")  # what `engage%2Ebackup` would have opened
    decoy.execute("CREATE TABLE other (x)")
    decoy.close()
    for name in ("engage%2Ebackup", "engage #1?.backup", "engage%20copy"):
        file = folder / name
        r = runner.invoke(cli.main, ["backup", str(file)])
        assert r.exit_code == 0 and file.is_file(), r.output
        session.delete(session.get(Consultation, consultation.id))
        session.commit()
        session.close()
        r = runner.invoke(cli.main, ["restore", str(file), "--yes"])
        assert r.exit_code == 0, r.output
        assert session.get(Consultation, consultation.id) is not None
        session.close()
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "engage #1?.backup", "engage%20copy", "engage%2Ebackup", "engage.backup"]


def test_backup_into_a_folder_that_is_a_file_is_one_line(app, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    r = app.test_cli_runner().invoke(cli.main, ["backup", str(not_a_folder / "engage.backup")])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    assert f"Cannot make the folder {not_a_folder}" in r.output and not_a_folder.read_text() == "x"


def test_backup_of_a_sqlite_database_that_is_not_there_makes_nothing(tmp_path):
    missing = tmp_path / "missing.sqlite3"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{missing}",
                      "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789"})
    r = app.test_cli_runner().invoke(cli.main, ["backup", str(tmp_path / "engage.backup")])
    assert r.exit_code == 1 and f"There is no database at {missing}" in r.output, r.output
    assert list(tmp_path.iterdir()) == []  # no empty database, no empty backup reported as one


def test_a_restore_does_not_bring_back_a_response_withdrawn_since_the_backup(app, session, tmp_path):
    """A backup holds the answers of everyone who had sent them; restoring it brought back a person
    who had taken theirs back since (the record of withdrawals was restored with it)."""
    slug = demo_consultation(session).slug
    session.close()
    gone = complete(app.test_client(), slug=slug)
    kept = complete(app.test_client(), slug=slug)
    runner = app.test_cli_runner()
    file = tmp_path / "engage.backup"
    assert runner.invoke(cli.main, ["backup", str(file)]).exit_code == 0
    response = app.test_client().post(f"/c/{slug}/withdraw/confirm", data={"reference": gone})
    assert response.status_code == 200 and gone not in state(session)[2]
    session.close()

    r = runner.invoke(cli.main, ["restore", str(file), "--yes"])
    assert r.exit_code == 0, r.output
    assert "Withdrew again 1 response taken back since the backup was made." in r.output
    references = state(session)[2]
    assert gone not in references and kept in references
    session.close()
    # and the code stays withdrawn: the page says so, and nothing comes back on a second restore
    r = runner.invoke(cli.main, ["restore", str(file), "--yes"])
    assert r.exit_code == 0 and "Withdrew again 1 response" in r.output
    assert gone not in state(session)[2]
