"""programme origin rollup: the daily sums per origin province and inside/outside, for
the headline, the months and the national ranking; filled by the next refresh

Revision ID: 0038_programme_origin_rollup
Revises: 0037_programme_covering
Create Date: 2026-12-02 02:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0038_programme_origin_rollup'
down_revision = '0037_programme_covering'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'programme_reach_origin_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('origin_province_code', sa.Integer(), nullable=False),
        sa.Column('outside', sa.Boolean(), nullable=False),
        sa.Column('parts', sa.BigInteger(), nullable=False),
        sa.Column('units', sa.BigInteger(), nullable=False),
        sa.Column('revenue_vnd', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_reach_origin_day')),
        sa.UniqueConstraint(
            'day', 'origin_province_code', 'outside', name=op.f('uq_programme_reach_origin_day_day')
        ),
    )
    # The rollup so far has no origin sums: the next `flask programme refresh` rebuilds both.
    op.execute("DELETE FROM programme_rollup")


def downgrade():
    op.drop_table('programme_reach_origin_day')
