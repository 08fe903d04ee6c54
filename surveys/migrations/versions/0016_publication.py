"""you said, we did

Numbered versions of the results page a facilitator publishes; quotes as references to answers.
Email addresses left to hear the outcome, apart from any answers.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28 21:45:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'publication_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('question_keys', sa.JSON(), nullable=False),
        sa.Column('theme_ids', sa.JSON(), nullable=False),
        sa.Column('quote_answer_ids', sa.JSON(), nullable=False),
        sa.Column('heard', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('will_do', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('report_back_by', sa.Date(), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'published', 'retired')", name='ck_publication_status'),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['analysis_run.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('consultation_id', 'number', name='uq_publication_number'),
    )
    op.create_index('ix_publication_version_consultation_id', 'publication_version', ['consultation_id'])
    op.create_index('uq_publication_published', 'publication_version', ['consultation_id'], unique=True,
                    sqlite_where=sa.text("status = 'published'"),
                    postgresql_where=sa.text("status = 'published'"))


    op.create_table(
        'outcome_subscription',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_outcome_subscription_consultation_id', 'outcome_subscription', ['consultation_id'])


def downgrade() -> None:
    op.drop_index('ix_outcome_subscription_consultation_id', table_name='outcome_subscription')
    op.drop_table('outcome_subscription')
    op.drop_index('uq_publication_published', table_name='publication_version')
    op.drop_index('ix_publication_version_consultation_id', table_name='publication_version')
    op.drop_table('publication_version')
