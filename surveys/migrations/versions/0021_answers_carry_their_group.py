"""answers carry their group

Each answer carries its person's group (``answer.segment``, a copy of ``respondent.segment`` kept
in step by ``surveys.segments``), and ``ix_answer_value`` is keyed by question, group and stored
value, and holds the value itself. The closed-question summaries then count each question's
answers by group and value, and sum shared amounts by group, from that index alone: before, every
answer counted looked up its person's group (4.5 million look-ups at 250,000 people, most of each
summary page's time). The copy is filled in from the people here; then fresh statistics, as in
0019 (and on PostgreSQL a VACUUM, as every answer was rewritten).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 09:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

VALUE = sa.text('CAST(value AS TEXT)')


def _analyze() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('PRAGMA analysis_limit=0')  # every row: a sample misjudges the partial indexes
        op.execute('ANALYZE')
    else:
        # Every answer was rewritten: PostgreSQL reads an index alone only for rows VACUUM has
        # marked visible to all, so until autovacuum came round each count read the table too.
        with op.get_context().autocommit_block():
            op.execute('VACUUM (ANALYZE) answer')


def upgrade() -> None:
    op.add_column('answer', sa.Column('segment', sa.String(length=40), nullable=True))
    op.execute('UPDATE answer SET segment = respondent.segment FROM respondent '
               'WHERE respondent.id = answer.respondent_id AND respondent.segment IS NOT NULL')
    op.drop_index('ix_answer_value', table_name='answer')
    keys = ['question_id', 'segment', VALUE]
    # With the stored value too, or neither database counts from the index alone (an indexed
    # expression is not the column): as the last key on SQLite, which has no INCLUDE.
    if op.get_bind().dialect.name == 'sqlite':
        op.create_index('ix_answer_value', 'answer', [*keys, 'value'], unique=False)
    else:
        op.create_index('ix_answer_value', 'answer', keys, unique=False, postgresql_include=['value'])
    _analyze()


def downgrade() -> None:
    op.drop_index('ix_answer_value', table_name='answer')
    op.create_index('ix_answer_value', 'answer', ['question_id', VALUE, 'respondent_id'], unique=False)
    op.execute('ALTER TABLE answer DROP COLUMN segment')  # SQLite 3.35 and later, no index on it
    _analyze()
