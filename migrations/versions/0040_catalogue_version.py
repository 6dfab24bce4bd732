"""The catalogue version, shared by every worker when there is no Redis.

Expand only: a new table the previous release never reads, so it runs on this schema.

Revision ID: 0040_catalogue_version
Revises: 0010_outbox_leases
"""

import sqlalchemy as sa
from alembic import op

revision = "0040_catalogue_version"
down_revision = "0045_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade():
    op.drop_table("catalogue_version")
