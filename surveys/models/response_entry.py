"""Who typed in a paper or phone response, and who checked it against the paper."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ._base import time_column, utcnow


class ResponseEntry(SQLModel, table=True):
    __tablename__ = "response_entry"

    respondent_id: int = Field(foreign_key="respondent.id", primary_key=True, ondelete="CASCADE")
    entered_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    entered_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    #: A second person who read the typed answers against the paper (optional; never the one who typed).
    checked_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    checked_at: datetime | None = Field(default=None, sa_column=time_column())
