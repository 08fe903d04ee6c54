"""self-named answers redacted

Redaction now also catches people who give their own name unasked ("I'm Fatima Begum") and a
name signing off at the end of an answer ("Thanks, Sarah"). The redacted copy of every written
answer already stored is made again with this release's rules, as in 0025. Nothing to undo: the
downgrade keeps the safer copies.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30 19:30:00.000000
"""

from alembic import op

from surveys.redaction import redact_stored_answers

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    redact_stored_answers(op.get_bind())


def downgrade() -> None:
    pass
