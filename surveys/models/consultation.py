"""A consultation: what is asked, of whom, and for how long answers are kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ._base import json_column, time_column, utcnow

STATUSES = ("draft", "open", "closed", "archived")


class Consultation(SQLModel, table=True):
    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed', 'archived')", name="ck_consultation_status"),
        CheckConstraint("retention_days > 0", name="ck_consultation_retention"),
        CheckConstraint("min_group_size >= 1", name="ck_consultation_min_group"),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: URL name, unique, lowercase letters, digits and hyphens.
    slug: str = Field(max_length=80, unique=True, index=True)
    title: str = Field(max_length=200)
    summary: str = Field(default="", max_length=2000)
    status: str = Field(default="draft", max_length=16)
    #: Who the consultation is for, in words shown on the start page.
    audience: str = Field(default="", max_length=300)
    opens_at: datetime | None = Field(default=None, sa_column=time_column())
    closes_at: datetime | None = Field(default=None, sa_column=time_column())
    #: Locale codes offered to respondents, e.g. ["en", "cy"].
    languages: list = Field(default_factory=lambda: ["en"], sa_column=json_column(nullable=False))
    #: Markdown shown on the consent page: what is collected, why, how long, how to withdraw.
    consent_text: str = Field(default="")
    #: Welsh (and any other language's) wording, by language then field or config path:
    #: {"cy": {"title": "..."}} (see surveys.translations).
    translations: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    #: Answers are purged this many days after the consultation closes.
    retention_days: int = Field(default=365)
    #: Show "what others said so far" (aggregates only) after submitting.
    show_results: bool = Field(default=False)
    #: No aggregate is shown for groups smaller than this.
    min_group_size: int = Field(default=5)
    #: Bumped on every wording fix once open (structure is frozen then).
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
