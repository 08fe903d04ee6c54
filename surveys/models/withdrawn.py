"""What is kept of a response taken back: hashes of its kiosk key and reference code, never words.

A tablet whose reply was lost on hospital Wi-Fi sends a response again with the same key, perhaps
after its person has gone home and taken it back with the code the tablet showed. Without this the
response (and its code) would simply be stored again.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ._base import time_column, utcnow


class WithdrawnResponse(SQLModel, table=True):
    __tablename__ = "withdrawn_response"

    #: SHA-256 of ``key:`` and the kiosk's idempotency key, or of ``reference:`` and the code
    #: (``pending:`` and the code: taken back before it came; ``shared:``: shown to two people).
    token_hash: str = Field(max_length=64, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    withdrawn_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
