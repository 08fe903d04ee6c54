"""given names redacted

Redaction now also catches a given name on its own ("Sarah was lovely", "thanks to Priya and
Tom"), from a list of given names less everyday words, unless the words round it make it a place
of care ("St Mary's", "Florence ward"). The redacted copy of every written answer already stored
is made again with this release's rules, as in 0025. Nothing to undo: the downgrade keeps the
safer copies.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 05:10:00.000000
"""

from alembic import op

from surveys.redaction import redact_stored_answers

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    redact_stored_answers(op.get_bind())


def downgrade() -> None:
    pass
