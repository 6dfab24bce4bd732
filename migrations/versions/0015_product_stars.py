"""product stars: the OCOP stars in force kept on the product row, for filtering and
sorting by stars on an index

Revision ID: 0015_product_stars
Revises: 0009_forgiving_search
Create Date: 2026-12-02 01:40:00.000000

"""
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_product_stars'
down_revision = '0009_forgiving_search'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, no batch copy: SQLite's full-text tables and triggers hang on
    # the product table.
    op.add_column('product', sa.Column('stars', sa.Integer(), server_default='0', nullable=False))
    op.add_column('product', sa.Column('stars_until', sa.Date(), nullable=True))
    op.create_index(op.f('ix_product_stars_until'), 'product', ['stars_until'], unique=False)
    op.create_index('ix_product_stars', 'product', ['is_published', 'stars', 'id'], unique=False)
    _backfill()


def _backfill():
    """What catalog.stars.refresh_stars computes, as of today in Vietnam (UTC+7)."""
    today = (datetime.now(timezone.utc) + timedelta(hours=7)).date()
    conn = op.get_bind()
    found = defaultdict(list)
    for product_id, stars, decided, expires in conn.execute(sa.text(
        "SELECT product_id, stars, decision_date, expires_on FROM ocop_certificate"
        " WHERE status = 'verified'"
    )):
        if isinstance(decided, str):  # SQLite hands dates back as text
            decided = datetime.strptime(decided, "%Y-%m-%d").date()
            expires = datetime.strptime(expires, "%Y-%m-%d").date()
        found[product_id].append((stars, decided, expires))
    rows = []
    for product_id, certificates in found.items():
        valid = [(s, e) for s, d, e in certificates if d <= today <= e]
        stars, until = max(valid, default=(0, None))
        raised = [d - timedelta(days=1) for s, d, _ in certificates if d > today and s > stars]
        if raised:
            until = min([until, *raised]) if until else min(raised)
        if stars or until:
            rows.append({"pid": product_id, "s": stars, "u": until})
    if rows:
        conn.execute(
            sa.text("UPDATE product SET stars = :s, stars_until = :u WHERE id = :pid"), rows
        )


def downgrade():
    op.drop_index('ix_product_stars', table_name='product')
    op.drop_index(op.f('ix_product_stars_until'), table_name='product')
    op.drop_column('product', 'stars_until')
    op.drop_column('product', 'stars')
