"""A possible safeguarding disclosure kept for the leads after its writer took their answers back.

Safeguarding is one of the accepted limits on erasure: a lead has already been told that an answer
needs reading, and the consent note promises they will read it. So a flagged answer that no lead
has recorded an outcome for outlives the withdrawal here, with nothing that leads back to the
person (no respondent, no reference code), until a lead records what they did or the
consultation's retention period ends. Only the safeguarding page reads this table.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ._base import time_column, utcnow


class HeldDisclosure(SQLModel, table=True):
    __tablename__ = "held_disclosure"

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    #: The question it answered (kept if the question is deleted, with its prompt unknown).
    question_id: int | None = Field(default=None, foreign_key="question.id", ondelete="SET NULL")
    #: The words as written (never redacted: the lead needs them to act).
    text: str
    #: When the answer was last written, and so flagged.
    flagged_at: datetime = Field(sa_column=time_column(nullable=False))
    #: When its writer took their answers back.
    held_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
