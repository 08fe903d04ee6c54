"""The safeguarding lead's record that a flagged answer has been dealt with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ..wording import N_
from ._base import time_column, utcnow

#: What the lead did: nothing was needed, or it was passed on under the safeguarding procedure.
OUTCOMES = {"no_action": N_("No action needed"), "referred": N_("Passed on under our safeguarding procedure")}


class SafeguardingReview(SQLModel, table=True):
    __tablename__ = "safeguarding_review"
    __table_args__ = (CheckConstraint("outcome IN ('no_action', 'referred')", name="ck_review_outcome"),)

    answer_id: int = Field(foreign_key="answer.id", primary_key=True, ondelete="CASCADE")
    outcome: str = Field(max_length=16)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    reviewed_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
