"""held disclosures

A flagged answer that no safeguarding lead has recorded an outcome for is kept for the leads
only when its writer takes their answers back, with no link to the person, until a lead records
what they did (or the retention period ends).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 10:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'held_disclosure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=True),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('flagged_at', sa.DateTime(), nullable=False),
        sa.Column('held_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_held_disclosure_consultation_id'), 'held_disclosure',
                    ['consultation_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_held_disclosure_consultation_id'), table_name='held_disclosure')
    op.drop_table('held_disclosure')
