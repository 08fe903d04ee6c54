"""answer text trigrams

On PostgreSQL, written answers are indexed by their text's trigrams (the ``pg_trgm`` extension,
which comes with PostgreSQL and which the database's owner may create), so that searching them for
a few words, in the written-answers page or in a theme, reads the answers that hold the words
rather than every answer. Nothing on SQLite.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 01:10:00.000000
"""

from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_index('ix_answer_text_trigrams', 'answer', ['text_redacted'], postgresql_using='gin',
                    postgresql_ops={'text_redacted': 'gin_trgm_ops'})


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_answer_text_trigrams', table_name='answer')
