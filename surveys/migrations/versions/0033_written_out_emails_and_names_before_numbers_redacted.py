"""email addresses written out and names before a number redacted

Redaction now also catches an email address written out so that it is not a link: "john dot
smith at gmail dot com", "jsmith (at) nhs.net", "jo [at] yahoo [dot] co [dot] uk", "jsmith @
gmail.com", and "john.smith at gmail.com" at a mail provider; and a person's name followed by a
number ("Jane Smith 07700 900123", "Emily Clarke 12 Acacia Avenue"), which was kept as if it were
a ward ("Rowan 1"). The redacted copy of every written
answer already stored is made again with this release's rules, as in 0025, 0030 and 0032.
Nothing to undo: the downgrade keeps the safer copies.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-03 17:30:00.000000
"""

from alembic import op

from surveys.redaction import redact_stored_answers

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    redact_stored_answers(op.get_bind())


def downgrade() -> None:
    pass
