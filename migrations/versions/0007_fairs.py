"""fairs: fairs, exhibitors and booths, featured products with fair prices, home-page
features, orders attributed to a fair; the audit log of admin and organiser actions

Revision ID: 0007_fairs
Revises: 0006_payments
Create Date: 2026-11-29 11:34:29.448816

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_fairs'
down_revision = '0006_payments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.String(length=40), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_entry_actor_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_entry_target', ['target_type', 'target_id'], unique=False)

    op.create_table('fair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('banner_path', sa.String(length=300), nullable=True),
    sa.Column('venue', sa.String(length=300), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.Enum('draft', 'published', 'closed', name='fairstate', native_enum=False, length=20), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_fair_closes_after_opening')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_fair_ends_after_start')),
    sa.ForeignKeyConstraint(['organiser_id'], ['user_account.id'], name=op.f('fk_fair_organiser_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair')),
    sa.UniqueConstraint('slug', name=op.f('uq_fair_slug'))
    )
    with op.batch_alter_table('fair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fair_organiser_id'), ['organiser_id'], unique=False)

    op.create_table('fair_exhibitor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fair_id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('invited', 'requested', 'accepted', name='exhibitorstatus', native_enum=False, length=20), nullable=False),
    sa.Column('booth_description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fair_id'], ['fair.id'], name=op.f('fk_fair_exhibitor_fair_id_fair'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_fair_exhibitor_producer_id_producer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_exhibitor')),
    sa.UniqueConstraint('fair_id', 'producer_id', name=op.f('uq_fair_exhibitor_fair_id'))
    )
    with op.batch_alter_table('fair_exhibitor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_exhibitor_producer_id'), ['producer_id'], unique=False)

    op.create_table('fair_order',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('fair_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['fair_id'], ['fair.id'], name=op.f('fk_fair_order_fair_id_fair')),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], name=op.f('fk_fair_order_order_id_customer_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_fair_order'))
    )
    with op.batch_alter_table('fair_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_order_fair_id'), ['fair_id'], unique=False)

    op.create_table('home_feature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_home_feature_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_home_feature_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_home_feature_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_home_feature'))
    )
    with op.batch_alter_table('home_feature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_home_feature_ends_on'), ['ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_feature_product_id'), ['product_id'], unique=False)

    op.create_table('booth_product',
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['fair_exhibitor.id'], name=op.f('fk_booth_product_exhibitor_id_fair_exhibitor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_booth_product_product_id_product')),
    sa.PrimaryKeyConstraint('exhibitor_id', 'product_id', name=op.f('pk_booth_product'))
    )
    op.create_table('fair_feature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fair_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('fair_price_vnd', sa.Integer(), nullable=True),
    sa.CheckConstraint('fair_price_vnd IS NULL OR fair_price_vnd > 0', name=op.f('ck_fair_feature_fair_price_positive')),
    sa.ForeignKeyConstraint(['fair_id'], ['fair.id'], name=op.f('fk_fair_feature_fair_id_fair'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], name=op.f('fk_fair_feature_variant_id_variant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_feature')),
    sa.UniqueConstraint('fair_id', 'variant_id', name=op.f('uq_fair_feature_fair_id'))
    )
    with op.batch_alter_table('fair_feature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_feature_variant_id'), ['variant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('fair_feature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_feature_variant_id'))

    op.drop_table('fair_feature')
    op.drop_table('booth_product')
    with op.batch_alter_table('home_feature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_home_feature_product_id'))
        batch_op.drop_index(batch_op.f('ix_home_feature_ends_on'))

    op.drop_table('home_feature')
    with op.batch_alter_table('fair_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_order_fair_id'))

    op.drop_table('fair_order')
    with op.batch_alter_table('fair_exhibitor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_exhibitor_producer_id'))

    op.drop_table('fair_exhibitor')
    with op.batch_alter_table('fair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_organiser_id'))
        batch_op.drop_index(batch_op.f('ix_fair_closes_at'))

    op.drop_table('fair')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_target')
        batch_op.drop_index(batch_op.f('ix_audit_entry_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))

    op.drop_table('audit_entry')
