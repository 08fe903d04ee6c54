"""The ``engage`` command line, built on Flask's CLI."""

from __future__ import annotations

import functools
import json
import os
import secrets
import tempfile
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

import config as settings
from config import ConfigError
from surveys import consultations, migrate, responses, theme_runs
from surveys.accounts import create_user, set_password, user_by_email
from surveys.definitions import DEMO, DefinitionError, export_definition, parse_definition
from surveys.models import ROLES, AnalysisRun, ConsultationAccess

from . import ROOT, create_app, db, preflight
from .demo import load_demo
from .groups import smallest_group
from .routing import MAX_ID

DEMO_FACILITATOR = "facilitator@example.nhs.uk"
#: The demo's safeguarding lead, whose account `engage demo load` makes when it is named in
#: SAFEGUARDING_LEADS (as `make run` names it), so the demo's consent page keeps its promise.
DEMO_LEAD = "safeguarding@example.nhs.uk"


def _create_app():
    """The app, or one clear line saying which setting is wrong (no traceback)."""
    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(" ".join(str(exc).split())) from None
    except (ArgumentError, ImportError):
        # The engine cannot be made: a DATABASE_URL SQLAlchemy cannot read, or its driver missing.
        try:
            preflight.address(settings.load(instance_path=ROOT / "instance")["DATABASE_URL"])
        except preflight.NotReady as exc:
            raise click.ClickException(str(exc)) from None
        raise


def with_database(need: str = "current"):
    """``with_appcontext``, once the database is checked (``preflight.database``; ``need``: how
    much of it the command needs): if it cannot be used, one line saying why, no traceback, and
    no empty SQLite file made where there was none (only ``engage db upgrade`` makes one)."""
    def decorate(f):
        @functools.wraps(f)
        def checked(*args, **kwargs):
            try:
                preflight.database(current_app, need)
            except preflight.NotReady as exc:
                raise click.ClickException(str(exc)) from None
            return f(*args, **kwargs)

        return with_appcontext(checked)

    return decorate


def _write_output(path: Path, chunks) -> int:
    """Write the bytes in ``chunks`` to ``path``; returns how many. A file is written whole or not
    at all: into a temporary file in the same folder, renamed to ``path`` when complete (a device
    or pipe, like /dev/stdout, is written as it comes). One line if it cannot be written."""
    try:
        if path.exists() and not path.is_file():
            with path.open("wb") as out:
                return sum(out.write(chunk) for chunk in chunks)
        target = Path(os.path.realpath(path))  # through a link, to the file it names
        if target.is_file():
            mode = target.stat().st_mode & 0o7777
        else:
            umask = os.umask(0o077)
            os.umask(umask)
            mode = 0o666 & ~umask  # as a new file would be
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                size = sum(out.write(chunk) for chunk in chunks)
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return size
    except OSError as exc:
        raise click.ClickException(f"Cannot write {path}: {exc.strerror or exc}.") from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False,
             add_version_option=False)
def main():
    """Engage: deliberative public engagement for the NHS."""


@main.group("db")
def db_group():
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply the schema migrations (creates the database if needed)."""
    url = current_app.config["DATABASE_URL"]
    try:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        migrate.upgrade(url)
    except OSError as exc:
        raise click.ClickException(f"Cannot make the database's folder for {url}: {exc.strerror or exc}. "
                                   "Check DATABASE_URL.") from None
    except SQLAlchemyError as exc:
        raise click.ClickException(str(preflight.unreachable(url, exc))) from None
    click.echo(f"Database is up to date (revision {migrate.current_head()}).")
    _redact_earlier_analyses()


def _redact_earlier_analyses() -> None:
    """Analyses made before this release's redaction rules lose the words those rules now take out
    of answers (one transaction each; their models are cleaned by `engage worker`)."""
    with db.unit_of_work() as s:
        earlier = theme_runs.earlier_analyses(s)
    words = 0
    for run_id in earlier:
        with db.unit_of_work() as s:
            words += len(theme_runs.redact_earlier_analysis(s, s.get(AnalysisRun, run_id)))
    if earlier:
        taken = f"{words} word{'' if words == 1 else 's'}" if words else "no word"
        click.echo(f"Analyses made under older redaction rules brought up to this release's: {len(earlier)} "
                   f"({taken} taken out of their labels and keywords). Their kept models place new "
                   "answers again once `engage worker` has cleaned them.")


@main.group("users")
def users_group():
    """Staff accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="facilitator", show_default=True)
@click.option("--name", default="")
@click.option("--password", help="Leave out to be asked for it (or to generate one with --generate).")
@click.option("--generate", is_flag=True, help="Generate a strong password and print it.")
@with_database()
def users_create(email, role, name, password, generate):
    """Create a staff account."""
    if generate:
        password = secrets.token_urlsafe(12)
    elif not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with db.unit_of_work() as s:
            create_user(s, email, password, role, name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {role} {email}" + (f" with password {password}" if generate else ""))


@users_group.command("reset-password")
@click.argument("email")
@click.option("--password", help="Leave out to be asked for it (or to generate one with --generate).")
@click.option("--generate", is_flag=True, help="Generate a strong password and print it.")
@with_database()
def users_reset_password(email, password, generate):
    """Set a staff account's password, clear any lockout and end its sessions. The only way to
    reset a safeguarding lead's password."""
    from .audit import record

    if generate:
        password = secrets.token_urlsafe(12)
    elif not password:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        with db.unit_of_work() as s:
            user = user_by_email(s, email)
            if user is None:
                raise ValueError(f"There is no account for {email}.")
            set_password(s, user, password, by="command line")
            record(s, "user.password_reset", "user", user.id, {"via": "command line"}, user_id=None)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Reset the password for {user.email}" + (f" to {password}" if generate else "")
               + "; its sessions have ended.")


@main.group("demo")
def demo_group():
    """The demo consultation."""


@demo_group.command("load")
@click.option("--with-responses", type=int, default=0, metavar="N",
              help="Also add N varied sample responses.")
@with_database()
def demo_load(with_responses):
    """Load the demo consultation (open) and a demo facilitator; print the login. The demo
    safeguarding lead's too, when SAFEGUARDING_LEADS names it (``make run`` does)."""
    password = secrets.token_urlsafe(12)
    lead_password = secrets.token_urlsafe(12)
    with_lead = DEMO_LEAD in current_app.config["SAFEGUARDING_LEADS"]
    with db.unit_of_work() as s:
        consultation, created = load_demo(s, with_responses=with_responses)
        user = _demo_account(s, DEMO_FACILITATOR, password, "facilitator", "Demo facilitator")
        if s.get(ConsultationAccess, (user.id, consultation.id)) is None:
            s.add(ConsultationAccess(user_id=user.id, consultation_id=consultation.id))
        if with_lead:
            _demo_account(s, DEMO_LEAD, lead_password, "viewer", "Demo safeguarding lead")
    db.refresh_statistics()
    click.echo(f"Demo consultation {'loaded' if created else 'already loaded'}: "
               f"/c/{consultation.slug}/")
    click.echo(f"Facilitator login: {DEMO_FACILITATOR}  password: {password}")
    if with_lead:
        click.echo(f"Safeguarding lead login: {DEMO_LEAD}  password: {lead_password}")


def _demo_account(s, email: str, password: str, role: str, name: str):
    """A demo account with this password, set from the command line (as a lead's must be)."""
    user = user_by_email(s, email)
    if user is None:
        return create_user(s, email, password, role, name)
    set_password(s, user, password, by="command line")
    return user


@main.group("consultations")
def consultations_group():
    """Consultation definitions as files."""


@consultations_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_database()
def consultations_import(file):
    """Import a consultation definition (YAML or JSON) as a draft."""
    from surveys.definitions import create_from_definition

    try:
        definition = parse_definition(file.read_bytes())
        with db.unit_of_work() as s:
            consultation = create_from_definition(s, definition)
    except DefinitionError as exc:
        # In English: the command line is the server's, with no reader's language to choose.
        raise click.ClickException(f"{file} cannot be imported:\n  " + "\n  ".join(
            p.english() for p in exc.problems)) from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Imported {consultation.slug} as a draft.")


@consultations_group.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml")
@with_database()
def consultations_export(slug, fmt):
    """Print a consultation's definition."""
    with db.unit_of_work() as s:
        consultation = consultations.by_slug(s, slug)
        if consultation is None:
            raise click.ClickException(f"No consultation called {slug!r}.")
        definition = export_definition(s, consultation)
    if fmt == "json":
        click.echo(json.dumps(definition, indent=2, ensure_ascii=False))
    else:
        click.echo(yaml.safe_dump(definition, sort_keys=False, allow_unicode=True, width=100))


@main.group("export")
def export_group():
    """Exports: an analysis run's report and data, or every response."""


@export_group.command("report")
@click.argument("slug")
@click.argument("run_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "csv", "xlsx", "json"]), default="pdf",
              show_default=True, help="docx or pdf: the theme summary report; csv, xlsx, json: the data.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="File to write. Default: the usual download name in this folder.")
@click.option("--language", type=click.Choice(["en", "cy"]), default="en", show_default=True,
              help="The report's language: English, or Welsh (cy).")
@with_database()
def export_report(slug, run_id, fmt, output, language):
    """Write the theme summary report (or a data export) of analysis RUN_ID of consultation SLUG."""
    from flask_babel import force_locale

    from surveys.models import AnalysisRun

    from .audit import record
    from .reports import export

    with db.unit_of_work() as s:
        consultation = consultations.by_slug(s, slug)
        if consultation is None:
            raise click.ClickException(f"No consultation called {slug!r}.")
        run = s.get(AnalysisRun, run_id) if 0 < run_id <= MAX_ID else None
        if run is None or run.consultation_id != consultation.id:
            raise click.ClickException(f"{slug} has no analysis {run_id}.")
        if run.status != "done":
            raise click.ClickException(f"Analysis {run_id} has not finished (it is {run.status}).")
        minimum = smallest_group(consultation)
        with force_locale(language):  # as a facilitator using Engage in that language gets it
            result = export(s, consultation, run, fmt, minimum)
        path = output or Path(result.filename)
        size = _write_output(path, [result.body])
        record(s, f"export.{fmt}", "analysis_run", run.id, {"via": "command line"}, user_id=None)
    click.echo(f"Wrote {path} ({size:,} bytes).")


@export_group.command("responses")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="File to write. Default: the usual download name in this folder.")
@with_database()
def export_responses(slug, fmt, output):
    """Write every response of consultation SLUG, one person a row (redacted text only)."""
    from surveys import builder, response_export

    from .audit import record
    from .reports import responses as files

    with db.unit_of_work() as s:
        consultation = consultations.by_slug(s, slug)
        if consultation is None:
            raise click.ClickException(f"No consultation called {slug!r}.")
        asked = response_export.as_read(consultation, builder.questions_of(s, consultation))
        path = output or Path(files.filename(slug, fmt))
        size = _write_output(path, files.chunks(fmt, response_export.header(asked),
                                                response_export.rows(s, consultation, asked)))
        record(s, "responses.export", "consultation", consultation.id, {"format": fmt, "via": "command line"},
               user_id=None)
    click.echo(f"Wrote {path} ({size:,} bytes).")


def _purged(responses: int, held: int) -> str:
    """'5 responses', '1 response and 2 disclosures held for the safeguarding leads', …"""
    said = f"{responses:,} response{'' if responses == 1 else 's'}"
    if held:
        said += f" and {held:,} disclosure{'' if held == 1 else 's'} held for the safeguarding leads"
    return said


@main.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@with_database()
def purge(dry_run):
    """Delete responses to consultations whose retention period has passed (run it daily); then
    refresh the database's statistics for the query planner."""
    from surveys import retention
    from surveys.models import Consultation

    from .audit import record

    with db.unit_of_work() as s:
        for c in retention.too_long(s):
            click.echo(f"Warning: {c.slug} keeps answers for {c.retention_days:,} days after closing, "
                       f"more than the most that can be set ({retention.MAX_RETENTION_DAYS:,}); set a "
                       "shorter period in its settings.", err=True)
        due = [(c.id, c.slug, c.retention_days, count, held) for c, count, held in retention.due(s)]
    failed = []
    for consultation_id, slug, days, count, held in due:
        if dry_run:
            click.echo(f"Would delete {_purged(count, held)} to {slug}.")
            continue
        try:  # each consultation on its own: one that fails never keeps the others' answers
            with db.unit_of_work() as s:
                deleted, held = retention.purge(s, s.get(Consultation, consultation_id))
                record(s, "retention.purge", "consultation", consultation_id,
                       {"summary": f"{_purged(deleted, held)} deleted at the end of the retention period",
                        "responses": deleted, "disclosures": held},
                       user_id=None)
        except Exception as exc:
            failed.append(slug)
            click.echo(f"Error: could not delete the responses to {slug}: "
                       f"{' '.join(str(exc).split())[:300]}", err=True)
            continue
        click.echo(f"Deleted {_purged(deleted, held)} to {slug} (kept for {days} days after closing).")
    if not due:
        click.echo("Nothing to delete: no consultation is past its retention period.")
    if not dry_run:
        from surveys import job_queue, outbox
        from surveys.subscriptions import purge_expired

        from .auth.sessions import clear_ended

        with db.unit_of_work() as s:
            addresses = purge_expired(s)
            emails = outbox.purge_failed(s, outbox.KEEP_FAILED)
            sessions = clear_ended(s, current_app.config["SESSION_IDLE_MINUTES"])
            jobs = job_queue.clear_finished(s)
        if sessions:
            click.echo(f"Deleted {sessions} staff sign-in sessions that had ended.")
        if addresses:
            click.echo(f"Deleted {addresses} email addresses left to hear an outcome (retention passed).")
        if jobs:
            click.echo(f"Deleted {jobs} finished background jobs (done over {job_queue.KEEP_DONE.days} days "
                       f"ago, or failed over {job_queue.KEEP_FAILED.days}).")
        if emails:
            click.echo(f"Deleted {emails} emails that failed more than {outbox.KEEP_FAILED.days} days ago.")
    if not dry_run:
        db.refresh_statistics()
    if failed:
        raise click.ClickException(f"The responses to {', '.join(failed)} could not be deleted (see above); "
                                   "the rest of the purge was done.")


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_database("engage")
def backup_command(file):
    """Write the whole database to FILE (SQLite: online backup; PostgreSQL: pg_dump custom format).
    It holds people's answers: keep it as carefully as the database."""
    from .backup import BackupError, backup

    try:
        backup(current_app.config["DATABASE_URL"], file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up the database to {file} ({file.stat().st_size:,} bytes).")


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_database("reachable")
def restore_command(file, yes):
    """Replace the database with the backup in FILE (made by engage backup). Stop Engage first."""
    from .backup import BackupError, restore

    if not yes:
        click.confirm("This replaces everything in the database with the backup. Carry on?", abort=True)
    url = current_app.config["DATABASE_URL"]
    # People who took their answers back since the backup was made are not brought back with it.
    with db.unit_of_work() as s:
        recorded = responses.withdrawals(s)
    db.engine().dispose()  # no pooled connection may hold a lock while the tables are replaced
    try:
        restore(url, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored the database from {file}.")
    if recorded:
        migrate.upgrade(url)  # an older backup gets this version's tables before withdrawing again
        db.engine().dispose()
        with db.unit_of_work() as s:
            again = responses.withdraw_again(s, recorded)
        if again:
            click.echo(f"Withdrew again {again} response{'s' if again != 1 else ''} taken back since "
                       "the backup was made.")
        _redact_earlier_analyses()
    else:
        click.echo("Run engage db upgrade if this version is newer.")


@main.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
def worker(burst):
    """Run background jobs (theme analysis) from the database queue; with REDIS_URL set, an RQ
    worker on the same queue."""
    import logging

    from . import preflight

    app = _create_app()
    try:
        preflight.database(app)
    except preflight.NotReady as exc:
        raise click.ClickException(str(exc)) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Worker

        from .jobs import QUEUE

        with Redis.from_url(app.config["REDIS_URL"]) as connection:
            # The scheduler starts jobs queued to run later (a retry's backoff) when they are due.
            Worker([QUEUE], connection=connection).work(burst=burst, with_scheduler=True)
        return
    from .worker import run, stop_on_signals

    backend = app.config["DATABASE_URL"].split(":", 1)[0]
    click.echo(f"Engage worker: running jobs from the database queue ({backend}).")
    ran = run(app, stop=None if burst else stop_on_signals(), burst=burst)
    click.echo(f"Engage worker stopped after {ran} job(s).")


@main.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", type=int, default=None, help="Default: from the number of cores.")
def serve(bind, workers):
    """Serve Engage with gunicorn (after checking the settings and the database)."""
    from . import preflight
    from .serve import run

    app = _create_app()
    try:
        preflight.database(app)
    except preflight.NotReady as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        app.extensions["engage.db"].dispose()

    run(bind=bind, workers=workers)


__all__ = ["main", "DEMO"]


if __name__ == "__main__":  # python -m engage.cli
    main()
