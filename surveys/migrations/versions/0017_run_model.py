"""kept theme model per run

Each finished analysis keeps its fitted model (arrays, no pickle, no answer text) so that answers
arriving later are placed by the same model, and those that fit no theme can be proposed as new
themes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'run_model',
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['analysis_run.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('run_id'),
    )


def downgrade() -> None:
    op.drop_table('run_model')
