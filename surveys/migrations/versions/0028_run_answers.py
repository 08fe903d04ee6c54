"""run answers

The answers a run has seen move from a list in its metrics (1.2 million ids at 250,000
respondents, read and written with the run on every theme page) to rows of their own. An update's
edit log kept the whole list as it was before, to put it back on undo; it now lists the answers
the update added (``created["seen"]``), and undo deletes those.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

runs = sa.table('analysis_run', sa.column('id', sa.Integer), sa.column('metrics', sa.JSON))
edits = sa.table('theme_edit', sa.column('id', sa.Integer), sa.column('run_id', sa.Integer),
                 sa.column('before', sa.JSON), sa.column('created', sa.JSON))
seen = sa.table('run_answer', sa.column('run_id', sa.Integer), sa.column('answer_id', sa.Integer))
BATCH = 10_000


def upgrade() -> None:
    op.create_table(
        'run_answer',
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['analysis_run.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('run_id', 'answer_id'),
    )
    bind = op.get_bind()
    now = {}
    for run_id, metrics in bind.execute(sa.select(runs.c.id, runs.c.metrics)).all():
        ids = sorted({int(a) for a in (metrics or {}).get('answer_ids', [])})
        now[run_id] = set(ids)
        for start in range(0, len(ids), BATCH):
            bind.execute(seen.insert(), [{'run_id': run_id, 'answer_id': a} for a in ids[start:start + BATCH]])
        if metrics and 'answer_ids' in metrics:
            bind.execute(runs.update().where(runs.c.id == run_id).values(
                metrics={k: v for k, v in metrics.items() if k != 'answer_ids'}))
    # Only the latest edit is ever undone, so the answers an update added are those seen now and
    # not before it: any a later update added are gone again by the time this one is undone.
    for edit_id, run_id, before, created in bind.execute(
            sa.select(edits.c.id, edits.c.run_id, edits.c.before, edits.c.created)).all():
        logged = (before or {}).get('run_metrics') or {}
        if 'answer_ids' not in logged:
            continue
        added = sorted(now.get(run_id, set()) - {int(a) for a in logged['answer_ids']})
        bind.execute(edits.update().where(edits.c.id == edit_id).values(
            before={**before, 'run_metrics': {k: v for k, v in logged.items() if k != 'answer_ids'}},
            created={**(created or {}), 'seen': added}))


def downgrade() -> None:
    bind = op.get_bind()
    now = {}
    for run_id, answer_id in bind.execute(sa.select(seen.c.run_id, seen.c.answer_id)).all():
        now.setdefault(run_id, set()).add(answer_id)
    for run_id, metrics in bind.execute(sa.select(runs.c.id, runs.c.metrics)).all():
        if run_id in now:
            bind.execute(runs.update().where(runs.c.id == run_id).values(
                metrics={**(metrics or {}), 'answer_ids': sorted(now[run_id])}))
    for edit_id, run_id, before, created in bind.execute(
            sa.select(edits.c.id, edits.c.run_id, edits.c.before, edits.c.created)).all():
        if 'seen' not in (created or {}) or 'run_metrics' not in (before or {}):
            continue
        was = sorted(now.get(run_id, set()) - set(created['seen']))
        bind.execute(edits.update().where(edits.c.id == edit_id).values(
            before={**before, 'run_metrics': {**before['run_metrics'], 'answer_ids': was}},
            created={k: v for k, v in created.items() if k != 'seen'}))
    op.drop_table('run_answer')
