"""One answer per respondent and question, saved as the person goes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ._base import json_column, time_column, utcnow


class Answer(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("respondent_id", "question_id", name="uq_answer_once"),
        # Written answers, newest first, per question: counted and paged from the index alone,
        # and each one's respondent looked up from it when a page is filtered by group or channel.
        Index("ix_answer_written", "question_id", "id", "respondent_id",
              sqlite_where=text("text_redacted IS NOT NULL"),
              postgresql_where=text("text_redacted IS NOT NULL")),
        # Each question's answers by the person's group, then stored value: the closed-question
        # summaries group by exactly these (surveys.summaries.VALUE_TEXT) and read only the index.
        # It carries the value itself too (shared amounts are summed from it, and neither database
        # calls an index covering for an expression of a column alone): included on PostgreSQL; on
        # SQLite, which has no INCLUDE, migration 0021 makes it the last key instead.
        Index("ix_answer_value", "question_id", "segment", text("CAST(value AS TEXT)"),
              postgresql_include=["value"]),
        # Each question's answers person by person, with the value: opinion change pairs each
        # person's first and repeated answer from this index alone (no read of the answers), and
        # it serves every look-up by question. The value is included on PostgreSQL; on SQLite,
        # which has no INCLUDE, migration 0022 makes it the last key instead.
        Index("ix_answer_question_person", "question_id", "respondent_id", postgresql_include=["value"]),
        # The few flagged for the safeguarding lead, newest first, without reading every answer.
        Index("ix_answer_safeguarding", "updated_at", "id",
              sqlite_where=text("safeguarding IS 1"), postgresql_where=text("safeguarding IS TRUE")),
        # Searching written answers for a few words, anywhere in the text and whatever the case
        # (surveys.written_answers.text_contains): PostgreSQL finds them from the text's trigrams
        # rather than reading every answer. SQLite has no such index and reads them (migration 0029).
        Index("ix_answer_text_trigrams", "text_redacted", postgresql_using="gin",
              postgresql_ops={"text_redacted": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    respondent_id: int = Field(foreign_key="respondent.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", ondelete="CASCADE")
    #: The person's group as it stands (a copy of ``Respondent.segment``, kept in step by
    #: ``surveys.segments``), so the summaries count by group from this table's index alone.
    segment: str | None = Field(default=None, max_length=40)
    #: Typed value as the question type stores it (int, key, list of keys, key -> amount).
    value: Any = Field(default=None, sa_column=json_column())
    #: Free text as written (text answers, "Why?" reasons, "other, please say"). Never exported.
    text: str | None = Field(default=None)
    #: The same text with personal data replaced by placeholders: the only copy anyone reads.
    text_redacted: str | None = Field(default=None)
    #: A possible safeguarding disclosure, flagged for the named safeguarding lead.
    safeguarding: bool = Field(default=False)
    #: When the person last wrote or changed the words (not when the page was only saved again).
    updated_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
