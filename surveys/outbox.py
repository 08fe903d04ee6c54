"""The mail outbox: messages wait here until a job has handed them to the mail server.

A message is claimed before it is sent, so two jobs never send it twice; a claim older than
``STALE_CLAIM`` (a job that died mid-send) is free again. A sent message is deleted at once with
its body, so nothing a person wrote to us or was sent stays behind. A refused message waits a
little longer after each try (exponential backoff) and is marked failed, for an admin to see,
after the last try. Operations add and flush; callers commit.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import Session, func, select

from .models import MAIL_KINDS, OutboxMessage, utcnow

STALE_CLAIM = timedelta(minutes=15)
#: Failed messages (an address and a body) are deleted this long after they were queued (``engage purge``).
KEEP_FAILED = timedelta(days=30)


def add_message(session: Session, kind: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    if kind not in MAIL_KINDS:
        raise ValueError(f"Unknown kind of email: {kind!r}")
    message = OutboxMessage(kind=kind, recipient=recipient.strip(), subject=subject[:200], body=body)
    session.add(message)
    session.flush()
    return message


def claim(session: Session, message_id: int) -> OutboxMessage | None:
    """Take a due message for sending; None if it is not due, already sent or claimed by another."""
    now = utcnow()
    claimed = session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.next_attempt_at <= now,
               or_(OutboxMessage.status == "pending",
                   (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - STALE_CLAIM)))
        .values(status="sending", claimed_at=now)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return None
    message = session.get(OutboxMessage, message_id)
    session.refresh(message)
    return message


def mark_sent(session: Session, message_id: int) -> None:
    session.exec(delete(OutboxMessage).where(OutboxMessage.id == message_id))


def mark_refused(session: Session, message_id: int, error: str, max_attempts: int,
                 retry_seconds: float) -> OutboxMessage:
    """Record a refusal; wait ``retry_seconds`` × 2^(tries − 1) before the next, or give up."""
    message = session.get(OutboxMessage, message_id)
    message.attempts += 1
    message.last_error = error[:500]
    message.claimed_at = None
    if message.attempts >= max_attempts:
        message.status = "failed"
    else:
        message.status = "pending"
        message.next_attempt_at = utcnow() + timedelta(seconds=retry_seconds * 2 ** (message.attempts - 1))
    session.add(message)
    session.flush()
    return message


def mark_failed(session: Session, message_id: int, error: str) -> None:
    """Give up on a message whose job stopped (it is shown failed, for an admin to try again)."""
    message = session.get(OutboxMessage, message_id)
    if message is None:  # sent (and deleted) before the job stopped
        return
    message.status, message.claimed_at, message.last_error = "failed", None, error[:500]
    session.add(message)
    session.flush()


def waiting(session: Session, limit: int = 200) -> list[OutboxMessage]:
    """Failed messages first, then those still waiting, newest first (for the admin page)."""
    return list(session.exec(select(OutboxMessage)
                             .order_by((OutboxMessage.status == "failed").desc(), OutboxMessage.id.desc())
                             .limit(limit)).all())


def counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    return dict(rows)


def try_again(session: Session, message_id: int) -> OutboxMessage | None:
    """Put a failed message back in the queue with its tries counted afresh."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status != "failed":
        return None
    message.status, message.attempts, message.next_attempt_at = "pending", 0, utcnow()
    session.add(message)
    session.flush()
    return message


def purge_failed(session: Session, older_than: timedelta) -> int:
    """Delete messages that failed long ago, so addresses given to us are not kept."""
    result = session.exec(delete(OutboxMessage).where(OutboxMessage.status == "failed",
                                                      OutboxMessage.created_at < utcnow() - older_than))
    return result.rowcount or 0


def masked(message: OutboxMessage) -> str:
    """The address as staff see it: in full for staff mail, only the domain for the public's."""
    if not MAIL_KINDS.get(message.kind, True):
        return message.recipient
    return "…@" + message.recipient.rpartition("@")[2]
