"""outbox leases: order emails get a lease, a next attempt time and the last error; the
account emails (password reset, already registered) get their own outbox table

Revision ID: 0010_outbox_leases
Revises: 0038_programme_origin_rollup
Create Date: 2026-12-02 01:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_outbox_leases'
down_revision = '0038_programme_origin_rollup'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('order_email', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', server_default=None)
        batch_op.alter_column('last_error', server_default=None)

    op.create_table(
        'account_email',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_account_email_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_email')),
        sa.UniqueConstraint('key', name=op.f('uq_account_email_key')),
    )
    with op.batch_alter_table('account_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_email_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_email_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_email', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_email_user_id'))
        batch_op.drop_index(batch_op.f('ix_account_email_status'))
    op.drop_table('account_email')
    with op.batch_alter_table('order_email', schema=None) as batch_op:
        batch_op.drop_column('last_error')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('next_attempt_at')
