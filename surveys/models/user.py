"""Staff accounts, roles and per-consultation access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ._base import time_column, utcnow

ROLES = ("admin", "facilitator", "viewer")


class User(SQLModel, table=True):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'facilitator', 'viewer')", name="ck_user_role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    #: argon2id hash (memory-hard).
    password_hash: str = Field(max_length=200)
    role: str = Field(default="facilitator", max_length=16)
    active: bool = Field(default=True)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_column=time_column())
    #: The password was last set by an admin in the web interface (so someone other than the
    #: account holder may know it). Such an account never reads unredacted words, even if it is
    #: a named safeguarding lead, until its password is set from the server's command line.
    web_credentials: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class ConsultationAccess(SQLModel, table=True):
    """A facilitator or viewer may see (and a facilitator change) only the consultations given here."""

    __tablename__ = "consultation_access"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    consultation_id: int = Field(foreign_key="consultation.id", primary_key=True, ondelete="CASCADE")
