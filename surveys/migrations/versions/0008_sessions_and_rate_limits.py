"""sessions and rate limits

Signed-in sessions kept in the database (sign-out ends them everywhere), rate-limit counters
shared by every worker, and a mark on accounts whose password an admin set in the web interface.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 21:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('web_credentials', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        'user_session',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'])
    op.create_index(op.f('ix_user_session_expires_at'), 'user_session', ['expires_at'])
    op.create_table(
        'rate_counter',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.Column('expires', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index(op.f('ix_rate_counter_expires'), 'rate_counter', ['expires'])


def downgrade() -> None:
    op.drop_table('rate_counter')
    op.drop_table('user_session')
    with op.batch_alter_table('user') as batch:
        batch.drop_column('web_credentials')
