"""Signed-in sessions and rate-limit counters, kept in the database so every worker shares them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ._base import time_column


class UserSession(SQLModel, table=True):
    """One signed-in staff session. The browser's cookie holds a random token; only its SHA-256
    is stored, so a copy of this table signs no one in. Deleting the row ends the session."""

    __tablename__ = "user_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(sa_column=time_column(nullable=False))
    last_seen_at: datetime = Field(sa_column=time_column(nullable=False))
    #: The absolute end, fixed at sign-in and never extended.
    expires_at: datetime = Field(sa_column=time_column(nullable=False, index=True))


class RateCounter(SQLModel, table=True):
    """Hits in the current window for one limit and one client (or account, or workshop)."""

    __tablename__ = "rate_counter"

    key: str = Field(primary_key=True, max_length=200)
    hits: int = Field(default=0)
    #: When the window ends (seconds since the epoch); the next hit after it starts a new window.
    expires: int = Field(index=True)
