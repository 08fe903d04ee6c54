"""Pages of a consultation, in order: briefings and question pages."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from ._base import json_column

PAGE_KINDS = ("briefing", "questions")


class Page(SQLModel, table=True):
    __tablename__ = "page"
    __table_args__ = (
        UniqueConstraint("consultation_id", "key", name="uq_page_key"),
        CheckConstraint("kind IN ('briefing', 'questions')", name="ck_page_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    #: Stable name within the consultation (used in URLs and definition files).
    key: str = Field(max_length=80)
    position: int = Field(default=0)
    kind: str = Field(default="questions", max_length=16)
    title: str = Field(max_length=200)
    #: Markdown for briefings (sanitised when rendered).
    body: str = Field(default="")
    #: Routing: {"question": KEY, "in": [option keys]}; the page shows only when it matches.
    show_if: dict | None = Field(default=None, sa_column=json_column())
    #: Welsh (and any other language's) wording, by language then field or config path:
    #: {"cy": {"title": "..."}} (see surveys.translations).
    translations: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
