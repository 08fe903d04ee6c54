"""The delivery job: send one queued message, trying again with backoff while the server refuses."""

from __future__ import annotations

import time

from flask import current_app

from surveys import outbox
from surveys.models import utcnow

from .. import db
from . import transport


def deliver(message_id: int) -> str:
    """Send message ``message_id``; returns 'sent', 'failed', 'waiting' or 'gone'.

    Between tries the job waits in place (MAIL_RETRY_SECONDS, doubling each time), so a short
    outage of the mail server needs nothing else; ``engage mail send`` picks up anything whose job
    was lost (a restart) and can run from cron.
    """
    config = current_app.config
    while True:
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
                status, wait = message.status, message.next_attempt_at
            if status == "failed":
                current_app.logger.warning("Mail %s failed for good: %s", message_id, exc)
                return "failed"
            delay = (wait - utcnow()).total_seconds()
            if delay > config["MAIL_MAX_WAIT_IN_JOB_SECONDS"]:
                return "waiting"  # ``engage mail send`` delivers it when it is due
            time.sleep(max(delay, 0))
            continue
        with db.unit_of_work() as s:
            outbox.mark_sent(s, message_id)
        return "sent"


def deliver_due() -> dict[str, int]:
    """Send every message that is due now (the command line and a scheduler call this)."""
    with db.unit_of_work() as s:
        ids = outbox.due_ids(s)
    results: dict[str, int] = {}
    for message_id in ids:
        result = deliver(message_id)
        results[result] = results.get(result, 0) + 1
    return results
