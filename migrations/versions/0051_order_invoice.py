"""Invoice details on orders: a business buyer's company name, tax code and address,
copied at placement.

Expand only: new columns with an empty default, which the previous release ignores.

Revision ID: 0051_order_invoice
Revises: 0050_business_profiles
"""

import sqlalchemy as sa
from alembic import op

revision = "0051_order_invoice"
down_revision = "0050_business_profiles"
branch_labels = None
depends_on = None

COLUMNS = (("invoice_company_name", 200), ("invoice_tax_code", 14), ("invoice_address", 500))


def upgrade():
    for name, length in COLUMNS:
        op.add_column(
            "customer_order",
            sa.Column(name, sa.String(length=length), server_default="", nullable=False),
        )


def downgrade():
    with op.batch_alter_table("customer_order") as batch:
        for name, _length in reversed(COLUMNS):
            batch.drop_column(name)
