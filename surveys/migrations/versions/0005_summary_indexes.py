"""summary indexes

Indexes for the closed-question summaries: each question's answers by stored value (as text)
and respondent, so the answers are counted from the index without reading the answers table
(JSON cannot be indexed as such on PostgreSQL; its text can, on both databases alike), and
each respondent's segment by id, so counting by segment reads a small index, not the table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_answer_value', 'answer',
                    ['question_id', sa.text('CAST(value AS TEXT)'), 'respondent_id'], unique=False)
    op.create_index('ix_respondent_id_segment', 'respondent', ['id', 'segment'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_respondent_id_segment', table_name='respondent')
    op.drop_index('ix_answer_value', table_name='answer')
