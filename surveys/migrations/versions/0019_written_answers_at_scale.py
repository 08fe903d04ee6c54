"""written answers at scale

The written answers' index carries each answer's respondent too, so a filtered page (by group,
channel or completion) looks each person up straight from the index, without reading the answer
first. Then fresh statistics: SQLite plans from the figures ANALYZE leaves, and figures taken from
a small sample (or none) made it read one question's written answers through the plain
question index, visiting every answer to that question (seconds at 250,000 respondents).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 06:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

WRITTEN = sa.text("text_redacted IS NOT NULL")


def _written_index(columns: list[str]) -> None:
    op.drop_index('ix_answer_written', table_name='answer')
    op.create_index('ix_answer_written', 'answer', columns, unique=False,
                    sqlite_where=WRITTEN, postgresql_where=WRITTEN)


def upgrade() -> None:
    _written_index(['question_id', 'id', 'respondent_id'])
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('PRAGMA analysis_limit=0')  # every row: a sample misjudges the partial indexes
    op.execute('ANALYZE')


def downgrade() -> None:
    _written_index(['question_id', 'id'])
