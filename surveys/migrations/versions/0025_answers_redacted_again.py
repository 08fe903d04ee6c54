"""answers redacted again

Redaction now also catches people named by who they are to the writer ("my daughter Sarah"),
National Insurance numbers, hospital and reference numbers after their cue, payment cards and
social media accounts. The redacted copy of every written answer already stored is made again
with the rules of this release (``analysis.redact``, the only thing that ever writes it), so that
what facilitators read and export is as safe for old answers as for new ones. Only rows whose
copy changes are written. Nothing to undo: the downgrade keeps the safer copies.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 15:30:00.000000
"""

from alembic import op

from surveys.redaction import redact_stored_answers

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    redact_stored_answers(op.get_bind())


def downgrade() -> None:
    pass
