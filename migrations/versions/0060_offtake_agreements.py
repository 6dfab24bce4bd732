"""Offtake agreements (hợp đồng bao tiêu): agreements, their versions and lines, the
scheduled deliveries and the agreements' email outbox.

Expand only: new tables the previous release never reads, so it runs on this schema.

Revision ID: 0060_offtake_agreements
Revises: 0055_quotes
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0060_offtake_agreements"
down_revision = "0055_quotes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "offtake_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column(
            "started_by",
            sa.Enum("buyer", "producer", name="side", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "proposed",
                "active",
                "completed",
                "declined",
                "withdrawn",
                name="agreementstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("pending_version", sa.Integer(), nullable=True),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("variant_label", sa.String(length=120), nullable=False),
        sa.Column("producer_name", sa.String(length=200), nullable=False),
        sa.Column("buyer_name", sa.String(length=200), nullable=False),
        sa.Column("origin_province_code", sa.Integer(), nullable=False),
        sa.Column("total_quantity", sa.Integer(), nullable=False),
        sa.Column(
            "price_mode",
            sa.Enum("fixed", "per_delivery", name="pricemode", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("unit_price_vnd", sa.Integer(), nullable=True),
        sa.Column("committed_vnd", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.Integer(), nullable=False),
        sa.Column("ward_code", sa.Integer(), nullable=False),
        sa.Column("address_line", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 0", name=op.f("ck_offtake_agreement_version_not_negative")),
        sa.ForeignKeyConstraint(
            ["buyer_id"],
            ["user_account.id"],
            name=op.f("fk_offtake_agreement_buyer_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["fair.id"],
            name=op.f("fk_offtake_agreement_fair_id_fair"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"], ["producer.id"], name=op.f("fk_offtake_agreement_producer_id_producer")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_offtake_agreement_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variant.id"], name=op.f("fk_offtake_agreement_variant_id_variant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offtake_agreement")),
    )
    with op.batch_alter_table("offtake_agreement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offtake_agreement_buyer_id"), ["buyer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_offtake_agreement_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(
            "ix_offtake_agreement_producer_state", ["producer_id", "state"], unique=False
        )

    op.create_table(
        "offtake_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_vnd", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "scheduled",
                "ordered",
                "shortfall",
                "superseded",
                name="deliverystate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("ordered_on", sa.Date(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("shortfall_note", sa.String(length=300), nullable=False),
        sa.Column("shortfall_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_offtake_delivery_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["offtake_agreement.id"],
            name=op.f("fk_offtake_delivery_agreement_id_offtake_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_order.id"],
            name=op.f("fk_offtake_delivery_order_id_customer_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offtake_delivery")),
        sa.UniqueConstraint("order_id", name=op.f("uq_offtake_delivery_order_id")),
    )
    with op.batch_alter_table("offtake_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offtake_delivery_agreement_id"), ["agreement_id"], unique=False
        )
        batch_op.create_index("ix_offtake_delivery_due", ["state", "due_on"], unique=False)

    op.create_table(
        "offtake_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "proposed_by",
            sa.Enum("buyer", "producer", name="side", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("proposed_by_user_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                "withdrawn",
                "superseded",
                name="versionstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("total_quantity", sa.Integer(), nullable=False),
        sa.Column(
            "price_mode",
            sa.Enum("fixed", "per_delivery", name="pricemode", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("unit_price_vnd", sa.Integer(), nullable=True),
        sa.Column("province_code", sa.Integer(), nullable=False),
        sa.Column("ward_code", sa.Integer(), nullable=False),
        sa.Column("address_line", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("ordered_before", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["offtake_agreement.id"],
            name=op.f("fk_offtake_version_agreement_id_offtake_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_offtake_version_proposed_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offtake_version")),
        sa.UniqueConstraint("agreement_id", "number", name=op.f("uq_offtake_version_agreement_id")),
    )
    op.create_table(
        "offtake_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column(
            "side",
            sa.Enum("buyer", "producer", name="side", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["offtake_agreement.id"],
            name=op.f("fk_offtake_email_agreement_id_offtake_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["offtake_delivery.id"],
            name=op.f("fk_offtake_email_delivery_id_offtake_delivery"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offtake_email")),
        sa.UniqueConstraint("key", name=op.f("uq_offtake_email_key")),
    )
    with op.batch_alter_table("offtake_email", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offtake_email_agreement_id"), ["agreement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_offtake_email_status"), ["status"], unique=False)

    op.create_table(
        "offtake_version_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_vnd", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_offtake_version_line_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["offtake_version.id"],
            name=op.f("fk_offtake_version_line_version_id_offtake_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offtake_version_line")),
    )
    with op.batch_alter_table("offtake_version_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offtake_version_line_version_id"), ["version_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("offtake_version_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offtake_version_line_version_id"))

    op.drop_table("offtake_version_line")
    with op.batch_alter_table("offtake_email", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offtake_email_status"))
        batch_op.drop_index(batch_op.f("ix_offtake_email_agreement_id"))

    op.drop_table("offtake_email")
    op.drop_table("offtake_version")
    with op.batch_alter_table("offtake_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_offtake_delivery_due")
        batch_op.drop_index(batch_op.f("ix_offtake_delivery_agreement_id"))

    op.drop_table("offtake_delivery")
    with op.batch_alter_table("offtake_agreement", schema=None) as batch_op:
        batch_op.drop_index("ix_offtake_agreement_producer_state")
        batch_op.drop_index(batch_op.f("ix_offtake_agreement_fair_id"))
        batch_op.drop_index(batch_op.f("ix_offtake_agreement_buyer_id"))

    op.drop_table("offtake_agreement")
