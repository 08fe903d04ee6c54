"""sub-theme assignments

Each placed answer also records the sub-theme it belongs to, so a theme can be split by its
sub-themes and the sub-themes of a run can be read back.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 21:25:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _before() -> sa.Table:
    """theme_assignment as it stands before 0011, so SQLite's batch copy need not reflect it (and
    with it the answer table's expression index, which SQLAlchemy cannot read from SQLite)."""
    meta = sa.MetaData()
    for name in ("answer", "analysis_run", "theme"):
        sa.Table(name, meta, sa.Column("id", sa.Integer(), primary_key=True))
    return sa.Table(
        'theme_assignment', meta,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.CheckConstraint("source IN ('auto', 'facilitator')", name='ck_assignment_source'),
        sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['analysis_run.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'answer_id', name='uq_assignment_once'),
        sa.Index('ix_theme_assignment_answer_id', 'answer_id'),
        sa.Index('ix_theme_assignment_run_id', 'run_id'),
        sa.Index('ix_theme_assignment_theme_id', 'theme_id'),
    )


def upgrade() -> None:
    with op.batch_alter_table('theme_assignment', schema=None, copy_from=_before()) as batch_op:
        batch_op.add_column(sa.Column('subtheme_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_theme_assignment_subtheme_id_theme', 'theme', ['subtheme_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_theme_assignment_subtheme_id'), ['subtheme_id'], unique=False)


def downgrade() -> None:
    after = _before()
    after.append_column(sa.Column('subtheme_id', sa.Integer(), nullable=True))
    after.append_constraint(sa.ForeignKeyConstraint(['subtheme_id'], ['theme.id'], ondelete='SET NULL',
                                                    name='fk_theme_assignment_subtheme_id_theme'))
    sa.Index('ix_theme_assignment_subtheme_id', after.c.subtheme_id)
    with op.batch_alter_table('theme_assignment', schema=None, copy_from=after) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_assignment_subtheme_id'))
        batch_op.drop_constraint('fk_theme_assignment_subtheme_id_theme', type_='foreignkey')
        batch_op.drop_column('subtheme_id')
