"""translations

Wording in a second language (Welsh) beside the English: one JSON column per table whose texts
are shown to respondents or the public, holding {"cy": {field or config path: text}}.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 03:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

TABLES = ('consultation', 'page', 'question', 'publication_version')


def upgrade() -> None:
    # A server default fills the rows already there (and lets SQLite add a NOT NULL column).
    for table in TABLES:
        op.add_column(table, sa.Column('translations', sa.JSON(), nullable=False, server_default='{}'))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, 'translations')
