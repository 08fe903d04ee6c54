"""stored answers checked again for plain disclosures

The safeguarding check now also catches plain disclosures it missed ("I'm going to take all my
pills tonight", "there's no point living", "my neighbour threatens to stab me", "I don't feel
safe at home", "I can't go on", "i want 2 die"). Every stored answer not flagged is checked
again with this release's patterns and flagged if they catch it, so an answer saved before
reaches the named lead as a new one does (it waits on their list; no email is sent). Nothing to
undo: the downgrade keeps the flags (a lead may already have read the answers).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-03 18:00:00.000000
"""

from alembic import op

from surveys.safeguarding import flag_stored_answers

revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade() -> None:
    flag_stored_answers(op.get_bind())


def downgrade() -> None:
    pass
