"""Join the two heads main carries since its merges of meetings (0065, after offtake) and
apibuyer (0070, after 0055_quotes): no schema change. Drop this file if 0070 is re-chained
after 0065 instead.

Revision ID: 0061_merge_heads
Revises: 0065_meetings, 0070_api_idempotency
"""

revision = "0061_merge_heads"
down_revision = ("0065_meetings", "0070_api_idempotency")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
