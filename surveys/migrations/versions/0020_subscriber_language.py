"""subscriber language

An address left to hear the outcome keeps the language it was left in, so the outcome email is
in that language alone. Addresses kept before this have none and still get every language the
consultation offers.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29 09:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outcome_subscription') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outcome_subscription') as batch:
        batch.drop_column('language')
