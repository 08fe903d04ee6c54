"""A person answering: anonymous, with only the facts needed to analyse and to withdraw."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from ..wording import N_
from ._base import time_column, utcnow

#: How a response reached us, and how staff see it named (marked for translation: translate where
#: shown, ``gettext(CHANNELS[key])``).
CHANNELS = {"online": N_("Online"), "workshop": N_("Workshop tablet"), "paper": N_("Paper"),
            "phone": N_("Phone")}


class Respondent(SQLModel, table=True):
    __tablename__ = "respondent"
    __table_args__ = (
        CheckConstraint("channel IN ('online', 'workshop', 'paper', 'phone')", name="ck_respondent_channel"),
        # Covers the responses totals (counts by channel, group and page reached) and the
        # channel and group filters, so they never read the table.
        Index("ix_respondent_progress", "consultation_id", "channel", "segment", "current_page",
              "submitted_at"),
        # Each respondent's segment by id, a small fraction of the table, for a look-up from an
        # answer (reports, themes). The question summaries need none: answers carry the group.
        Index("ix_respondent_id_segment", "id", "segment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    #: Random public id (never the row id) used in the session and links.
    public_id: str = Field(max_length=40, unique=True)
    #: Short code shown on the confirmation page, quoted to withdraw.
    reference: str = Field(max_length=16, unique=True)
    channel: str = Field(default="online", max_length=16)
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id", index=True,
                                    ondelete="SET NULL")
    table_number: int | None = Field(default=None)
    #: Answer key of the segment question (patient, carer, public, staff...).
    segment: str | None = Field(default=None, max_length=40, index=True)
    locale: str = Field(default="en", max_length=8)
    consent_at: datetime | None = Field(default=None, sa_column=time_column())
    started_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    submitted_at: datetime | None = Field(default=None, sa_column=time_column(index=True))
    #: SHA-256 of the resume token; the token itself is only ever in the person's link.
    resume_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    #: Key of the last page the person reached, to resume there.
    current_page: str | None = Field(default=None, max_length=80)
    #: Offline kiosks send each submission with a key so a retry never doubles it.
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True)
