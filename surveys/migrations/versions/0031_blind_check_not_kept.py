"""blind check not kept

The blind check's agreement was kept in the run's metrics (``evaluation``) when the check page
showed it, and the board and report read that copy, which outlived its sample: a new sample, or
edits that moved the answers coded, left the old figure showing. It is now worked out from the
codes each time it is shown (``surveys.evaluation.summary``); the kept copies go, from runs and
from the counts the edit log would put back on undo. Nothing to undo: older code keeps a copy
again the next time its check page is shown.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03 14:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

runs = sa.table('analysis_run', sa.column('id', sa.Integer), sa.column('metrics', sa.JSON))
edits = sa.table('theme_edit', sa.column('id', sa.Integer), sa.column('before', sa.JSON))


def upgrade() -> None:
    bind = op.get_bind()
    for run_id, metrics in bind.execute(sa.select(runs.c.id, runs.c.metrics)).all():
        if metrics and 'evaluation' in metrics:
            bind.execute(runs.update().where(runs.c.id == run_id).values(
                metrics={k: v for k, v in metrics.items() if k != 'evaluation'}))
    for edit_id, before in bind.execute(sa.select(edits.c.id, edits.c.before)).all():
        logged = (before or {}).get('run_metrics') or {}
        if 'evaluation' in logged:
            bind.execute(edits.update().where(edits.c.id == edit_id).values(
                before={**before, 'run_metrics': {k: v for k, v in logged.items() if k != 'evaluation'}}))


def downgrade() -> None:
    pass
