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

import sqlalchemy as sa
from alembic import op

from analysis.redact import redact

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    conn = op.get_bind()
    read = sa.text('SELECT id, text, text_redacted FROM answer WHERE text IS NOT NULL AND id > :after '
                   'ORDER BY id LIMIT :batch')
    write = sa.text('UPDATE answer SET text_redacted = :redacted WHERE id = :id')
    after = 0
    while rows := conn.execute(read, {'after': after, 'batch': BATCH}).all():
        changed = [{'id': id_, 'redacted': redacted} for id_, text, stored in rows
                   if (redacted := redact(text) if text else None) != stored]
        if changed:
            conn.execute(write, changed)
        after = rows[-1][0]


def downgrade() -> None:
    pass
