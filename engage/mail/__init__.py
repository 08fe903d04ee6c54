"""Email through the trust's own mail server (SMTP settings in config.py).

``queue_mail`` adds a message to the outbox in the caller's transaction, and the job that sends
it (``engage.jobs``, run by ``engage worker``) is added in that same transaction just before it
commits: a message is never saved without its job, whatever stops the process in between. The
job hands it to the mail server; a refusal queues the next try for when its backoff has passed. Where no
server is configured nothing is queued or sent, and pages that would offer email say so instead.
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from surveys import outbox
from surveys.models import OutboxMessage

_NEW = "engage.mail.new"


def configured(app: Flask | None = None) -> bool:
    app = app or current_app
    return bool(app.config.get("SMTP_HOST"))


def queue_mail(session: Session, kind: str, recipient: str, subject: str, body: str) -> bool:
    """Queue one email (sent after the caller commits). False, and nothing queued, without SMTP."""
    if not configured():
        return False
    outbox.add_message(session, kind, recipient, subject, body)
    return True


def _remember_new(session, _context) -> None:
    """After a flush, new rows are still in ``session.new`` and already have their ids."""
    new = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if new:
        session.info.setdefault(_NEW, set()).update(new)


def _add_jobs_before_commit(session) -> None:
    if not has_app_context():
        return
    session.flush()  # messages still pending (e.g. a lead's safeguarding email) get their ids
    from ..jobs import add_job
    from .delivery import deliver

    for message_id in sorted(session.info.pop(_NEW, ())):
        add_job(session, deliver, message_id)


def _forget(session, previous_transaction) -> None:
    # As engage.jobs: a savepoint rolled back leaves the rest of the transaction's messages.
    if not previous_transaction.nested:
        session.info.pop(_NEW, None)


def init_app(app: Flask) -> None:
    """Queue the sending job of every new message in the transaction that adds it, from any session."""
    app.jinja_env.globals["mail_configured"] = lambda: configured(app)
    if not event.contains(Session, "after_flush", _remember_new):
        event.listen(Session, "after_flush", _remember_new)
        event.listen(Session, "before_commit", _add_jobs_before_commit)
        event.listen(Session, "after_soft_rollback", _forget)
        from .safeguarding import listen

        listen()
