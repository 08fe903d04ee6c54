"""titles with initials and Welsh cues redacted

Redaction now also catches a surname after a title and an initial that is a word of its own
("Dr A Patel", "Mrs I Jones": "a" and "i" ended the name before the surname), a name after a
title of two words ("Nurse Practitioner Okonkwo", "Health Visitor Jones") or a title newly known
("Healthcare Assistant Jones", "HCA Jones", "Physio Mark"), and dates of birth and
NHS numbers given with Welsh cues ("dyddiad geni: 01/02/1980", "ganwyd ar 1 Chwefror 1980",
"rhif GIG yw 123 456 7890"). The redacted copy of every written answer already stored is made
again with this release's rules, as in 0025 and 0030. Nothing to undo: the downgrade keeps the
safer copies.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-03 15:00:00.000000
"""

from alembic import op

from surveys.redaction import redact_stored_answers

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    redact_stored_answers(op.get_bind())


def downgrade() -> None:
    pass
