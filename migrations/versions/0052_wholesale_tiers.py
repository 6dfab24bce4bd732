"""Wholesale tiers: per pack, from N units a lower unit price, optionally for business
buyers only.

Expand only: a new table the previous release never reads.

Revision ID: 0052_wholesale_tiers
Revises: 0051_order_invoice
"""

import sqlalchemy as sa
from alembic import op

revision = "0052_wholesale_tiers"
down_revision = "0051_order_invoice"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "wholesale_tiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("min_quantity", sa.Integer(), nullable=False),
        sa.Column("price_vnd", sa.Integer(), nullable=False),
        sa.Column("business_only", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("min_quantity >= 2", name=op.f("ck_wholesale_tiers_from_two_units")),
        sa.CheckConstraint("price_vnd > 0", name=op.f("ck_wholesale_tiers_price_positive")),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variant.id"],
            name=op.f("fk_wholesale_tiers_variant_id_variant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wholesale_tiers")),
        sa.UniqueConstraint(
            "variant_id", "min_quantity", name=op.f("uq_wholesale_tiers_variant_id")
        ),
    )


def downgrade():
    op.drop_table("wholesale_tiers")
