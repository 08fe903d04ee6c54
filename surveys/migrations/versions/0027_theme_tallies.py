"""theme tallies

What the theme pages count for each theme of a run (answers, people by group, feelings, trade-off
sides, quotable answers), and for the run itself, kept so that a view reads a few rows rather than
every answer. Empty to begin with: each run is counted when it is next shown. A theme's answers
are indexed in order (theme, answer), replacing the index on the theme alone, so that a page of a
large theme's answers is read without sorting them all.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'theme_tally',
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['analysis_run.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('run_id', 'theme_id'),
    )
    op.create_index('ix_theme_assignment_theme_answer', 'theme_assignment', ['theme_id', 'answer_id'])
    op.drop_index('ix_theme_assignment_theme_id', table_name='theme_assignment')


def downgrade() -> None:
    op.create_index('ix_theme_assignment_theme_id', 'theme_assignment', ['theme_id'])
    op.drop_index('ix_theme_assignment_theme_answer', table_name='theme_assignment')
    op.drop_table('theme_tally')
