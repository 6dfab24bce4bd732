"""workspace: stock movement history, who decided on a certificate

Revision ID: 0004_workspace
Revises: 0003_orders
Create Date: 2026-11-29 11:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_workspace'
down_revision = '0003_orders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stock_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('stock_after', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('delivery', 'correction', 'breakage', 'order', 'returned', name='stockreason', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('delta <> 0', name=op.f('ck_stock_movement_delta_not_zero')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_stock_movement_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], name=op.f('fk_stock_movement_variant_id_variant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movement'))
    )
    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_movement_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_stock_movement_variant_created', ['variant_id', 'created_at'], unique=False)

    with op.batch_alter_table('ocop_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_ocop_certificate_decided_by_id_user_account'), 'user_account', ['decided_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('ocop_certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ocop_certificate_decided_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('decided_by_id')

    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_movement_variant_created')
        batch_op.drop_index(batch_op.f('ix_stock_movement_actor_id'))

    op.drop_table('stock_movement')
