"""programme covering indexes: a province's or a producer's rollup rows read from the
index alone on PostgreSQL

Revision ID: 0037_programme_covering
Revises: 0030_reviews
Create Date: 2026-12-02 02:05:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0037_programme_covering'
down_revision = '0030_reviews'
branch_labels = None
depends_on = None

SUMS = ['parts', 'units', 'revenue_vnd']


def upgrade():
    op.drop_index('ix_programme_reach_day_origin_day', table_name='programme_reach_day')
    op.create_index(
        'ix_programme_reach_day_origin_day', 'programme_reach_day',
        ['origin_province_code', 'day'],
        postgresql_include=[*SUMS, 'destination_province_code', 'producer_id'],
    )
    op.create_index(
        'ix_programme_reach_day_producer_day', 'programme_reach_day',
        ['producer_id', 'day'],
        postgresql_include=[*SUMS, 'origin_province_code', 'destination_province_code'],
    )


def downgrade():
    op.drop_index('ix_programme_reach_day_producer_day', table_name='programme_reach_day')
    op.drop_index('ix_programme_reach_day_origin_day', table_name='programme_reach_day')
    op.create_index(
        'ix_programme_reach_day_origin_day', 'programme_reach_day',
        ['origin_province_code', 'day'],
    )
