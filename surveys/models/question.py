"""Questions on a page; the type decides form, validation and summary (see surveys.types)."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from ._base import json_column


class Question(SQLModel, table=True):
    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("consultation_id", "key", name="uq_question_key"),)

    id: int | None = Field(default=None, primary_key=True)
    #: Denormalised from the page so answers can be summarised per consultation in one query.
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    page_id: int = Field(foreign_key="page.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=80)
    position: int = Field(default=0)
    #: Name of a type in the registry: tradeoff, likert, choice, multi, rank, allocate, text.
    type: str = Field(max_length=32)
    prompt: str = Field(max_length=500)
    hint: str = Field(default="", max_length=1000)
    required: bool = Field(default=False)
    #: Type-specific settings (poles, options, scale labels, budget...).
    config: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    #: Asked again after a briefing to measure opinion change.
    repeat_of_id: int | None = Field(default=None, foreign_key="question.id", ondelete="SET NULL")
    #: The "about you" question whose answer is the respondent's segment.
    is_segment: bool = Field(default=False)
    #: Welsh (and any other language's) wording, by language then field or config path:
    #: {"cy": {"prompt": "...", "options.staff": "..."}} (see surveys.translations).
    translations: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
