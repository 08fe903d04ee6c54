"""The audit trail: who did what to which object, when."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ._base import json_column, time_column, utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False, index=True))
    #: Null for actions by the system or the command line.
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    action: str = Field(max_length=80)
    object_type: str = Field(max_length=40)
    object_id: str = Field(default="", max_length=80)
    detail: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
