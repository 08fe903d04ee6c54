"""withdrawn responses

Hashes of a withdrawn response's kiosk key and reference code, so that a tablet sending the
response again (its first reply lost) stores nothing and the code is never given again.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29 14:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'withdrawn_response',
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    op.create_index(op.f('ix_withdrawn_response_consultation_id'), 'withdrawn_response',
                    ['consultation_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_withdrawn_response_consultation_id'), table_name='withdrawn_response')
    op.drop_table('withdrawn_response')
