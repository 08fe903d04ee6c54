"""paper and phone responses

Responses typed in by staff from paper or a phone call: two more channels, and who entered and
who checked each.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28 21:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_constraint('ck_respondent_channel', type_='check')
        batch_op.create_check_constraint('ck_respondent_channel',
                                         "channel IN ('online', 'workshop', 'paper', 'phone')")
    op.create_table(
        'response_entry',
        sa.Column('respondent_id', sa.Integer(), nullable=False),
        sa.Column('entered_by', sa.Integer(), nullable=True),
        sa.Column('entered_at', sa.DateTime(), nullable=False),
        sa.Column('checked_by', sa.Integer(), nullable=True),
        sa.Column('checked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['respondent_id'], ['respondent.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['entered_by'], ['user.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['checked_by'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('respondent_id'),
    )


def downgrade() -> None:
    op.drop_table('response_entry')
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_constraint('ck_respondent_channel', type_='check')
        batch_op.create_check_constraint('ck_respondent_channel', "channel IN ('online', 'workshop')")
