"""mail outbox

Email waiting to be sent by the background job, with its tries and the server's last answer; and
a job's earliest start, so a refused email's next try waits in the job queue (its backoff) without
holding a worker.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 21:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outbox_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'sending', 'failed')", name='ck_outbox_status'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_outbox_due', 'outbox_message', ['status', 'next_attempt_at'])
    op.add_column('job', sa.Column('run_after', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('job') as batch:
        batch.drop_column('run_after')
    op.drop_index('ix_outbox_due', table_name='outbox_message')
    op.drop_table('outbox_message')
