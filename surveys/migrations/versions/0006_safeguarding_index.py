"""safeguarding index

A partial index of the answers flagged for the safeguarding lead, newest first, so that their
page counts and lists them without reading every answer.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 00:10:00.000000
"""

from alembic import op
from sqlalchemy import text

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The same predicate in each database's spelling of a boolean (SQLite stores 0/1), written as
    # SQLAlchemy writes ``Answer.safeguarding.is_(True)`` so that the planners match it.
    op.create_index('ix_answer_safeguarding', 'answer', ['updated_at', 'id'], unique=False,
                    sqlite_where=text("safeguarding IS 1"), postgresql_where=text("safeguarding IS TRUE"))


def downgrade() -> None:
    op.drop_index('ix_answer_safeguarding', table_name='answer')
