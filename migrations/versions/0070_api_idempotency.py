"""Idempotency-Key of orders placed through the JSON API (unique per caller and key)

Expand only: a new table the previous release never reads.

Revision ID: 0070_api_idempotency
Revises: 0065_meetings
"""

import sqlalchemy as sa
from alembic import op

revision = "0070_api_idempotency"
down_revision = "0065_meetings"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_idempotency_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("caller", sa.String(length=48), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_order.id"],
            name=op.f("fk_api_idempotency_key_order_id_customer_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotency_key")),
        sa.UniqueConstraint("caller", "key", name=op.f("uq_api_idempotency_key_caller")),
    )
    with op.batch_alter_table("api_idempotency_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_idempotency_key_order_id"), ["order_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("api_idempotency_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_idempotency_key_order_id"))
    op.drop_table("api_idempotency_key")
