"""payments: card payments (Stripe Checkout sessions), webhook events, payment issues,
refunds; settlements: commission rates, settlements and what each settled

Revision ID: 0006_payments
Revises: 0005_traceability
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_payments'
down_revision = '0005_traceability'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade():
    op.create_table('card_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('session_id', sa.String(length=255), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('amount_vnd', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', _enum('cardpaymentstatus', 'creating', 'open', 'processing', 'complete', 'failed', 'expired'), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], name=op.f('fk_card_payment_order_id_customer_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_payment')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_card_payment_idempotency_key')),
    sa.UniqueConstraint('order_id', 'attempt', name=op.f('uq_card_payment_order_id')),
    sa.UniqueConstraint('session_id', name=op.f('uq_card_payment_session_id'))
    )
    op.create_index(op.f('ix_card_payment_order_id'), 'card_payment', ['order_id'], unique=False)
    op.create_index(op.f('ix_card_payment_payment_intent_id'), 'card_payment', ['payment_intent_id'], unique=False)

    op.create_table('stripe_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], name=op.f('fk_stripe_event_order_id_customer_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_event')),
    sa.UniqueConstraint('event_id', name=op.f('uq_stripe_event_event_id'))
    )
    op.create_index(op.f('ix_stripe_event_order_id'), 'stripe_event', ['order_id'], unique=False)

    op.create_table('payment_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('kind', _enum('issuekind', 'amount_mismatch', 'paid_after_cancel', 'duplicate_payment', 'unknown_order', 'external_refund'), nullable=False),
    sa.Column('expected_vnd', sa.Integer(), nullable=True),
    sa.Column('received_amount', sa.Integer(), nullable=True),
    sa.Column('received_currency', sa.String(length=3), nullable=False),
    sa.Column('reference', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], name=op.f('fk_payment_issue_order_id_customer_order')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_payment_issue_resolved_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_issue'))
    )
    op.create_index(op.f('ix_payment_issue_order_id'), 'payment_issue', ['order_id'], unique=False)
    op.create_index(op.f('ix_payment_issue_resolved_at'), 'payment_issue', ['resolved_at'], unique=False)

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=True),
    sa.Column('amount_vnd', sa.Integer(), nullable=False),
    sa.Column('method', _enum('refundmethod', 'card', 'manual'), nullable=False),
    sa.Column('status', _enum('refundstatus', 'pending', 'succeeded', 'failed'), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('stripe_refund_id', sa.String(length=255), nullable=True),
    sa.Column('cancels_part', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount_vnd > 0', name=op.f('ck_refund_amount_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_refund_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], name=op.f('fk_refund_order_id_customer_order')),
    sa.ForeignKeyConstraint(['part_id'], ['order_part.id'], name=op.f('fk_refund_part_id_order_part')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_refund_idempotency_key')),
    sa.UniqueConstraint('stripe_refund_id', name=op.f('uq_refund_stripe_refund_id'))
    )
    op.create_index(op.f('ix_refund_order_id'), 'refund', ['order_id'], unique=False)
    op.create_index(op.f('ix_refund_part_id'), 'refund', ['part_id'], unique=False)

    op.create_table('refund_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('refund_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_refund_line_quantity_positive')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_line.id'], name=op.f('fk_refund_line_order_line_id_order_line')),
    sa.ForeignKeyConstraint(['refund_id'], ['refund.id'], name=op.f('fk_refund_line_refund_id_refund')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund_line'))
    )
    op.create_index(op.f('ix_refund_line_order_line_id'), 'refund_line', ['order_line_id'], unique=False)
    op.create_index(op.f('ix_refund_line_refund_id'), 'refund_line', ['refund_id'], unique=False)

    op.create_table('commission_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rate_bp >= 0 AND rate_bp <= 10000', name=op.f('ck_commission_rate_rate_range')),
    sa.ForeignKeyConstraint(['set_by_id'], ['user_account.id'], name=op.f('fk_commission_rate_set_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_rate'))
    )
    op.create_index(op.f('ix_commission_rate_effective_from'), 'commission_rate', ['effective_from'], unique=False)

    op.create_table('settlement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('collected_vnd', sa.Integer(), nullable=False),
    sa.Column('refunds_vnd', sa.Integer(), nullable=False),
    sa.Column('commission_vnd', sa.Integer(), nullable=False),
    sa.Column('payout_vnd', sa.Integer(), nullable=False),
    sa.Column('bank_reference', sa.String(length=100), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_settlement_producer_id_producer')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_settlement_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement')),
    sa.UniqueConstraint('producer_id', 'digest', name=op.f('uq_settlement_producer_id'))
    )
    op.create_index(op.f('ix_settlement_producer_id'), 'settlement', ['producer_id'], unique=False)

    op.create_table('settlement_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('settlement_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('collected_vnd', sa.Integer(), nullable=False),
    sa.Column('refunded_vnd', sa.Integer(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('commission_vnd', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['part_id'], ['order_part.id'], name=op.f('fk_settlement_part_part_id_order_part')),
    sa.ForeignKeyConstraint(['settlement_id'], ['settlement.id'], name=op.f('fk_settlement_part_settlement_id_settlement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_part')),
    sa.UniqueConstraint('part_id', name=op.f('uq_settlement_part_part_id'))
    )
    op.create_index(op.f('ix_settlement_part_settlement_id'), 'settlement_part', ['settlement_id'], unique=False)

    op.create_table('settlement_refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('settlement_id', sa.Integer(), nullable=False),
    sa.Column('refund_id', sa.Integer(), nullable=False),
    sa.Column('amount_vnd', sa.Integer(), nullable=False),
    sa.Column('commission_credit_vnd', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['refund_id'], ['refund.id'], name=op.f('fk_settlement_refund_refund_id_refund')),
    sa.ForeignKeyConstraint(['settlement_id'], ['settlement.id'], name=op.f('fk_settlement_refund_settlement_id_settlement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_refund')),
    sa.UniqueConstraint('refund_id', name=op.f('uq_settlement_refund_refund_id'))
    )
    op.create_index(op.f('ix_settlement_refund_settlement_id'), 'settlement_refund', ['settlement_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_settlement_refund_settlement_id'), table_name='settlement_refund')
    op.drop_table('settlement_refund')
    op.drop_index(op.f('ix_settlement_part_settlement_id'), table_name='settlement_part')
    op.drop_table('settlement_part')
    op.drop_index(op.f('ix_settlement_producer_id'), table_name='settlement')
    op.drop_table('settlement')
    op.drop_index(op.f('ix_commission_rate_effective_from'), table_name='commission_rate')
    op.drop_table('commission_rate')
    op.drop_index(op.f('ix_refund_line_refund_id'), table_name='refund_line')
    op.drop_index(op.f('ix_refund_line_order_line_id'), table_name='refund_line')
    op.drop_table('refund_line')
    op.drop_index(op.f('ix_refund_part_id'), table_name='refund')
    op.drop_index(op.f('ix_refund_order_id'), table_name='refund')
    op.drop_table('refund')
    op.drop_index(op.f('ix_payment_issue_resolved_at'), table_name='payment_issue')
    op.drop_index(op.f('ix_payment_issue_order_id'), table_name='payment_issue')
    op.drop_table('payment_issue')
    op.drop_index(op.f('ix_stripe_event_order_id'), table_name='stripe_event')
    op.drop_table('stripe_event')
    op.drop_index(op.f('ix_card_payment_payment_intent_id'), table_name='card_payment')
    op.drop_index(op.f('ix_card_payment_order_id'), table_name='card_payment')
    op.drop_table('card_payment')
