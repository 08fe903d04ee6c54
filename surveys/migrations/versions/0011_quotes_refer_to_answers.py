"""quotes refer to answers

A theme's quotes become the ids of the quoted answers instead of copies of their text, so that
withdrawal and purge remove a person's words from themes too. Existing quotes are matched to the
run's answers by their redacted text; a quote whose answer is already gone is dropped.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 21:10:00.000000
"""

import json

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _load(value):
    return json.loads(value) if isinstance(value, str) else (value or [])


def upgrade() -> None:
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quote_ids', sa.JSON(), nullable=True))
    conn = op.get_bind()
    themes = conn.execute(sa.text("SELECT id, run_id, quotes FROM theme")).all()
    by_run: dict[int, dict[str, int]] = {}
    for theme_id, run_id, quotes in themes:
        if run_id not in by_run:
            rows = conn.execute(sa.text(
                "SELECT a.id, a.text_redacted FROM theme_assignment t JOIN answer a ON a.id = t.answer_id "
                "WHERE t.run_id = :run ORDER BY a.id"), {"run": run_id}).all()
            by_run[run_id] = {}
            for answer_id, text in rows:
                by_run[run_id].setdefault(text, answer_id)
        ids = [by_run[run_id][q] for q in _load(quotes) if q in by_run[run_id]]
        conn.execute(sa.text("UPDATE theme SET quote_ids = :ids WHERE id = :id")
                     .bindparams(sa.bindparam("ids", type_=sa.JSON)),
                     {"ids": list(dict.fromkeys(ids)), "id": theme_id})
    conn.execute(sa.text("UPDATE theme SET quote_ids = :empty WHERE quote_ids IS NULL")
                 .bindparams(sa.bindparam("empty", type_=sa.JSON)), {"empty": []})
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.alter_column('quote_ids', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('quotes')


def downgrade() -> None:
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quotes', sa.JSON(), nullable=True))
    conn = op.get_bind()
    for theme_id, ids in conn.execute(sa.text("SELECT id, quote_ids FROM theme")).all():
        ids = [int(i) for i in _load(ids)]
        texts = dict(conn.execute(sa.text("SELECT id, text_redacted FROM answer WHERE id IN :ids")
                                  .bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids}).all()
                     ) if ids else {}
        conn.execute(sa.text("UPDATE theme SET quotes = :q WHERE id = :id")
                     .bindparams(sa.bindparam("q", type_=sa.JSON)),
                     {"q": [texts[i] for i in ids if i in texts], "id": theme_id})
    conn.execute(sa.text("UPDATE theme SET quotes = :empty WHERE quotes IS NULL")
                 .bindparams(sa.bindparam("empty", type_=sa.JSON)), {"empty": []})
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.alter_column('quotes', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('quote_ids')
