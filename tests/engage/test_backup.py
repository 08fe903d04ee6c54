"""`engage backup` and `engage restore` round-trip the whole database, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import select

from engage import cli
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
