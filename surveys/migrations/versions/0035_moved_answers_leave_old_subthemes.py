"""moved answers leave their old sub-themes

Moving an answer to another theme (or merging its theme into another) kept its sub-theme, which
belonged to the theme it left: "More, narrower themes" then took it back into that sub-theme, and
undoing that lost it from every theme page. Edits now clear it; this clears any an answer still
has whose parent is not the answer's theme, and forgets the kept counts of the runs it changes
(they count answers in no sub-theme), so they are counted again when next shown.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-03 17:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

placings = sa.table('theme_assignment', sa.column('id', sa.Integer), sa.column('run_id', sa.Integer),
                    sa.column('theme_id', sa.Integer), sa.column('subtheme_id', sa.Integer))
themes = sa.table('theme', sa.column('id', sa.Integer), sa.column('parent_id', sa.Integer))
tallies = sa.table('theme_tally', sa.column('run_id', sa.Integer))


def upgrade() -> None:
    bind = op.get_bind()
    its_own = sa.exists().where(themes.c.id == placings.c.subtheme_id,
                                themes.c.parent_id == placings.c.theme_id)
    stray = sa.and_(placings.c.subtheme_id.is_not(None), ~its_own)
    runs = [r for (r,) in bind.execute(sa.select(placings.c.run_id).where(stray).distinct()).all()]
    if not runs:
        return
    bind.execute(placings.update().where(stray).values(subtheme_id=None))
    bind.execute(tallies.delete().where(tallies.c.run_id.in_(runs)))


def downgrade() -> None:
    pass
