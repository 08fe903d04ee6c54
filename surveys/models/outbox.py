"""Email waiting to be sent: the outbox a background job delivers from, retrying with backoff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from ._base import time_column, utcnow

#: Kinds of email; those marked public go to members of the public, whose addresses are masked
#: wherever staff see the outbox.
MAIL_KINDS = {"resume": True, "receipt": True, "outcome": True, "analysis": False, "safeguarding": False}


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'failed')", name="ck_outbox_status"),
        # The delivery job picks what is due, oldest first.
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: resume, receipt, outcome (to the public); analysis, safeguarding (to staff).
    kind: str = Field(max_length=16)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    #: Plain text. Deleted with the row as soon as it is sent; never shown in the workspace.
    body: str
    #: pending (waiting or between tries), sending (claimed by a job), failed (gave up).
    status: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    claimed_at: datetime | None = Field(default=None, sa_column=time_column())
    #: The mail server's last answer, for the admin page (never the message itself).
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
