"""programme rollup: order parts, units and goods revenue per day, producer, origin and
destination province for the province dashboards; indexes for the live tail and for
parts changed after their day closed

Revision ID: 0036_programme_rollup
Revises: 0035_province_officers
Create Date: 2026-12-02 01:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0036_programme_rollup'
down_revision = '0035_province_officers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'programme_reach_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('producer_id', sa.Integer(), nullable=False),
        sa.Column('origin_province_code', sa.Integer(), nullable=False),
        sa.Column('destination_province_code', sa.Integer(), nullable=False),
        sa.Column('parts', sa.Integer(), nullable=False),
        sa.Column('units', sa.BigInteger(), nullable=False),
        sa.Column('revenue_vnd', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ['producer_id'], ['producer.id'],
            name=op.f('fk_programme_reach_day_producer_id_producer'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_reach_day')),
        sa.UniqueConstraint(
            'day', 'producer_id', 'origin_province_code', 'destination_province_code',
            name=op.f('uq_programme_reach_day_day'),
        ),
    )
    op.create_index(
        'ix_programme_reach_day_origin_day', 'programme_reach_day',
        ['origin_province_code', 'day'], unique=False,
    )
    op.create_table(
        'programme_rollup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('covered_until', sa.Date(), nullable=False),
        sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_rollup')),
    )
    op.create_index('ix_customer_order_placed_at', 'customer_order', ['placed_at'], unique=False)
    op.create_index(
        op.f('ix_order_part_updated_at'), 'order_part', ['updated_at'], unique=False
    )


def downgrade():
    op.drop_index(op.f('ix_order_part_updated_at'), table_name='order_part')
    op.drop_index('ix_customer_order_placed_at', table_name='customer_order')
    op.drop_table('programme_rollup')
    op.drop_index('ix_programme_reach_day_origin_day', table_name='programme_reach_day')
    op.drop_table('programme_reach_day')
