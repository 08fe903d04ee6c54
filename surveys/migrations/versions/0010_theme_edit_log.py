"""theme edit log

Each run's own log of theme edits with the rows each changed as they were before, so undo
restores them exactly without reading the audit trail.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 21:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'theme_edit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('created', sa.JSON(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['analysis_run.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('theme_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_edit_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('theme_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_edit_run_id'))
    op.drop_table('theme_edit')
