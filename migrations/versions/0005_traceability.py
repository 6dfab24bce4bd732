"""traceability: batches, their steps, daily scan counts, shipped batches

Revision ID: 0005_traceability
Revises: 0004_workspace
Create Date: 2026-11-29 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_traceability'
down_revision = '0004_workspace'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=11), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('produced_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.Integer(), nullable=False),
    sa.Column('place_detail', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('expires_on > produced_on', name=op.f('ck_batch_expires_after_production')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_batch_quantity_positive')),
    sa.ForeignKeyConstraint(['certificate_id'], ['ocop_certificate.id'], name=op.f('fk_batch_certificate_id_ocop_certificate')),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_batch_producer_id_producer')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_batch_product_id_product')),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], name=op.f('fk_batch_variant_id_variant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch')),
    sa.UniqueConstraint('code', name=op.f('uq_batch_code'))
    )
    op.create_index('ix_batch_producer_created', 'batch', ['producer_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_batch_product_id'), 'batch', ['product_id'], unique=False)
    op.create_index(op.f('ix_batch_variant_id'), 'batch', ['variant_id'], unique=False)

    op.create_table('batch_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('growing', 'processing', 'packing', 'other', name='stepkind', native_enum=False, length=20), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], name=op.f('fk_batch_step_batch_id_batch'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_step'))
    )
    op.create_index(op.f('ix_batch_step_batch_id'), 'batch_step', ['batch_id'], unique=False)

    op.create_table('batch_scan_day',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('scans', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], name=op.f('fk_batch_scan_day_batch_id_batch'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('batch_id', 'day', name=op.f('pk_batch_scan_day'))
    )

    op.create_table('shipped_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_part_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], name=op.f('fk_shipped_batch_batch_id_batch')),
    sa.ForeignKeyConstraint(['order_part_id'], ['order_part.id'], name=op.f('fk_shipped_batch_order_part_id_order_part')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipped_batch')),
    sa.UniqueConstraint('order_part_id', 'batch_id', name=op.f('uq_shipped_batch_order_part_id'))
    )
    op.create_index(op.f('ix_shipped_batch_batch_id'), 'shipped_batch', ['batch_id'], unique=False)
    op.create_index(op.f('ix_shipped_batch_order_part_id'), 'shipped_batch', ['order_part_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_shipped_batch_order_part_id'), table_name='shipped_batch')
    op.drop_index(op.f('ix_shipped_batch_batch_id'), table_name='shipped_batch')
    op.drop_table('shipped_batch')
    op.drop_table('batch_scan_day')
    op.drop_index(op.f('ix_batch_step_batch_id'), table_name='batch_step')
    op.drop_table('batch_step')
    op.drop_index(op.f('ix_batch_variant_id'), table_name='batch')
    op.drop_index(op.f('ix_batch_product_id'), table_name='batch')
    op.drop_index('ix_batch_producer_created', table_name='batch')
    op.drop_table('batch')
