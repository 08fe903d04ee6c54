"""'You said, we did': the results a facilitator publishes, kept as numbered versions.

Quotes are kept as references to answers, never copies, so an answer withdrawn after publication
drops out of the published page by itself.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ._base import json_column, time_column, utcnow


class PublicationVersion(SQLModel, table=True):
    __tablename__ = "publication_version"
    __table_args__ = (
        UniqueConstraint("consultation_id", "number", name="uq_publication_number"),
        CheckConstraint("status IN ('draft', 'published', 'retired')", name="ck_publication_status"),
        # At most one published version per consultation.
        Index("uq_publication_published", "consultation_id", unique=True,
              sqlite_where=text("status = 'published'"), postgresql_where=text("status = 'published'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    #: 1, 2, 3... in the order they were saved.
    number: int
    #: draft (saved, not public), published (the public page), retired (published once, then replaced
    #: or taken down).
    status: str = Field(default="draft", max_length=16)
    #: The analysis run whose themes are shown.
    run_id: int | None = Field(default=None, foreign_key="analysis_run.id", ondelete="SET NULL")
    #: Keys of the questions shown as charts with their data tables.
    question_keys: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    theme_ids: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    #: Answers the facilitator approved as quotes (shown as redacted, only while they exist).
    quote_answer_ids: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    heard: str = Field(default="")
    will_do: str = Field(default="")
    #: Welsh (and any other language's) wording, by language then field or config path:
    #: {"cy": {"heard": "...", "will_do": "..."}} (see surveys.translations).
    translations: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    #: When the facilitator expects to report on what was done.
    report_back_by: date | None = Field(default=None, sa_column=Column(Date(), nullable=True))
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    published_at: datetime | None = Field(default=None, sa_column=time_column())
