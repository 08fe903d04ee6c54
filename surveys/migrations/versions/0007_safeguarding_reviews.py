"""safeguarding reviews

The safeguarding lead's record that a flagged answer has been dealt with, and how.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 00:20:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'safeguarding_review',
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("outcome IN ('no_action', 'referred')", name='ck_review_outcome'),
        sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('answer_id'),
    )


def downgrade() -> None:
    op.drop_table('safeguarding_review')
