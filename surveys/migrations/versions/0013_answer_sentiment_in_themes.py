"""answer sentiment in themes

Each placed answer keeps its sentiment class (negative, mixed or positive), so a theme shows the
share of each, and the shares stay right as answers are moved, merged and split.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 22:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('theme_assignment',
                  sa.Column('sentiment', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column('theme_assignment', 'sentiment')
