"""The delivery job: send one queued message once; after a refusal, queue the next try to run when
its backoff has passed, so the worker is free for other jobs in between."""

from __future__ import annotations

from flask import current_app

from surveys import outbox
from surveys.wording import english

from .. import db
from ..jobs import add_job
from . import transport


def deliver(message_id: int) -> str:
    """Send message ``message_id``; returns 'sent', 'failed', 'waiting' or 'gone'.

    A refused message waits MAIL_RETRY_SECONDS, then twice as long after each further refusal: the
    next try is a job in the same queue (``engage worker``) that no worker starts before it is due.
    After MAIL_MAX_ATTEMPTS it is failed, for an admin to see and try again.
    """
    config = current_app.config
    with db.unit_of_work() as s:
        message = outbox.claim(s, message_id)
        if message is None:
            return "gone"
        recipient, subject, body = message.recipient, message.subject, message.body
    try:
        transport.send(config, recipient, subject, body)
    except transport.MailRefused as exc:
        with db.unit_of_work() as s:
            message = outbox.mark_refused(s, message_id, str(exc), config["MAIL_MAX_ATTEMPTS"],
                                          config["MAIL_RETRY_SECONDS"])
            if message.status != "failed":  # the next try, in the same transaction as the refusal
                add_job(s, deliver, message_id, not_before=message.next_attempt_at)
                return "waiting"
        current_app.logger.warning("Mail %s failed for good: %s", message_id, exc)
        return "failed"
    with db.unit_of_work() as s:
        outbox.mark_sent(s, message_id)
    return "sent"


def _stopped(session, message_id: int, message: dict) -> None:
    """The job stopped without finishing (its worker died, or something unforeseen went wrong):
    show the email as failed to admins, who can try it again from the mail page (the error as
    recorded, in English, like the mail server's own)."""
    outbox.mark_failed(session, message_id, english(message))


deliver.on_failure = _stopped
