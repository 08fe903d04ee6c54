"""A workshop: tablets at tables answering one consultation in a room."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ._base import time_column, utcnow


class Workshop(SQLModel, table=True):
    __tablename__ = "workshop"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="ck_workshop_status"),
        CheckConstraint("tables >= 1 AND tables <= 100", name="ck_workshop_tables"),
    )

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    #: Short code typed on a tablet (or in the QR link) to join.
    join_code: str = Field(max_length=16, unique=True, index=True)
    tables: int = Field(default=1)
    facilitator_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    #: Hash of the PIN that takes a tablet out of kiosk mode.
    pin_hash: str = Field(default="", max_length=200)
    status: str = Field(default="open", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=time_column())
