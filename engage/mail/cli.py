"""``engage mail``: send what is due now (for cron or a scheduler) and see what is waiting."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext

from surveys import outbox

from .. import db
from . import configured

#: Failed messages (an address and a body) are deleted this long after they were queued.
KEEP_FAILED = timedelta(days=30)


@click.group("mail")
def mail_group():
    """Email through your mail server (SMTP_HOST)."""


@mail_group.command("send")
@with_appcontext
def send():
    """Send every email that is due (also those whose job was lost in a restart); delete failed
    ones older than 30 days."""
    from .delivery import deliver_due

    if not configured():
        click.echo("Email is not set up (SMTP_HOST is empty): nothing is sent.")
        return
    results = deliver_due()
    with db.unit_of_work() as s:
        purged = outbox.purge_failed(s, KEEP_FAILED)
        left = outbox.counts(s)
    click.echo(f"Sent {results.get('sent', 0)}, failed {results.get('failed', 0)}, "
               f"waiting to try again {results.get('waiting', 0)}; deleted {purged} old failed. "
               f"Now waiting: {left.get('pending', 0) + left.get('sending', 0)}, "
               f"failed: {left.get('failed', 0)}.")
