"""response indexes

Indexes that keep the responses view fast with hundreds of thousands of responses: a covering
index for the totals and the respondent filters, and a partial index of written answers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 23:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

WRITTEN = sa.text("text_redacted IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.create_index('ix_respondent_progress',
                              ['consultation_id', 'channel', 'segment', 'current_page', 'submitted_at'],
                              unique=False)
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index('ix_answer_written', ['question_id', 'id'], unique=False,
                              sqlite_where=WRITTEN, postgresql_where=WRITTEN)


def downgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_written')
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_index('ix_respondent_progress')
