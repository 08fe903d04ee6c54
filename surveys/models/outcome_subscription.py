"""An email address left to hear a consultation's outcome: kept apart from any answers.

No respondent id, no time and a random key, so nothing in it can be joined to a response (not
even by order of arrival). The language the person asked in is kept so the email is in it; empty
for addresses left before it was kept, which get every language the consultation offers. Deleted
once the outcome has been sent, or at the consultation's retention date.
"""

from __future__ import annotations

import secrets

from sqlmodel import Field, SQLModel


def _random_key() -> str:
    return secrets.token_hex(16)


class OutcomeSubscription(SQLModel, table=True):
    __tablename__ = "outcome_subscription"

    id: str = Field(default_factory=_random_key, primary_key=True, max_length=32)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254)
    language: str | None = Field(default=None, max_length=8)
