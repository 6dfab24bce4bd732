"""Business profiles: the company (name, tax code, address, contact) behind an account.

Expand only: a new table the previous release never reads.

Revision ID: 0050_business_profiles
Revises: 0040_catalogue_version
"""

import sqlalchemy as sa
from alembic import op

revision = "0050_business_profiles"
down_revision = "0040_catalogue_version"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "business_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tax_code", sa.String(length=14), nullable=False),
        sa.Column("province_code", sa.Integer(), nullable=False),
        sa.Column("ward_code", sa.Integer(), nullable=False),
        sa.Column("address_line", sa.String(length=300), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("buys", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_business_profiles_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_profiles")),
        sa.UniqueConstraint("user_id", name=op.f("uq_business_profiles_user_id")),
    )


def downgrade():
    op.drop_table("business_profiles")
