"""job queue

Background jobs in the database: the embedded queue that `engage worker` serves, and the record
(with heartbeats) of jobs handed to RQ, so a job whose worker died is found and marked failed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 21:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('queue', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('dispatched_at', sa.DateTime(), nullable=True),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name='ck_job_status'),
        sa.CheckConstraint("queue IN ('database', 'rq')", name='ck_job_queue'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_job_status_id', 'job', ['status', 'id'])


def downgrade() -> None:
    op.drop_index('ix_job_status_id', table_name='job')
    op.drop_table('job')
