"""product listed: "published and of an active producer" kept on the product row by
triggers, and the catalogue's sort orders as covering indexes led by it

The listing's page ids then come from one index walk, with no join to producer for
every row skipped on the way to a deep page; the filters' columns ride in the same
indexes so a filtered walk never reads a product row it does not keep.

Expand only: a new column (with its default and triggers the previous release never
notices) and new indexes.

Revision ID: 0071_product_listed
Revises: 0070_api_idempotency
"""

import sqlalchemy as sa
from alembic import op

revision = "0071_product_listed"
down_revision = "0070_api_idempotency"
branch_labels = None
depends_on = None

# (name, columns): each sort order, then the filters (catalog.queries._narrowing).
INDEXES = [
    (
        "ix_product_listed_newest",
        ["is_listed", "created_at", "id", "group_code", "stars", "price_from", "producer_id"],
    ),
    (
        "ix_product_listed_price",
        ["is_listed", "price_from", "id", "group_code", "stars", "producer_id"],
    ),
    (
        "ix_product_listed_stars",
        ["is_listed", "stars", "id", "group_code", "price_from", "producer_id"],
    ),
    # A group's or a province's products (its producers' ids), newest first within
    # each: counting them, or sorting a few thousand, reads no product row.
    (
        "ix_product_listed_group",
        ["is_listed", "group_code", "created_at", "id", "stars", "price_from", "producer_id"],
    ),
    (
        "ix_product_listed_producer",
        ["is_listed", "producer_id", "created_at", "id", "group_code", "stars", "price_from"],
    ),
]

_LISTED_SQLITE = (
    "new.is_published AND coalesce((SELECT is_active FROM producer WHERE id = new.producer_id), 0)"
)
# Whatever writes the row (the ORM, a bulk insert, an import, SQL typed by hand), the
# flag follows is_published, producer_id and the producer's is_active; a direct write
# of is_listed itself is recomputed. SQLite cannot change NEW, so it updates the row
# after the fact (the WHEN clause stops it updating twice).
SQLITE_TRIGGERS = {
    "product_listed_insert": f"""CREATE TRIGGER product_listed_insert AFTER INSERT ON product
        WHEN new.is_listed IS NOT ({_LISTED_SQLITE}) BEGIN
            UPDATE product SET is_listed = ({_LISTED_SQLITE}) WHERE id = new.id;
        END""",
    "product_listed_update": f"""CREATE TRIGGER product_listed_update
        AFTER UPDATE OF is_published, producer_id, is_listed ON product
        WHEN new.is_listed IS NOT ({_LISTED_SQLITE}) BEGIN
            UPDATE product SET is_listed = ({_LISTED_SQLITE}) WHERE id = new.id;
        END""",
    "producer_listed_update": """CREATE TRIGGER producer_listed_update
        AFTER UPDATE OF is_active ON producer WHEN old.is_active IS NOT new.is_active BEGIN
            UPDATE product SET is_listed = (is_published AND new.is_active)
            WHERE producer_id = new.id;
        END""",
}

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION product_listed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.is_listed := NEW.is_published AND coalesce(
            (SELECT is_active FROM producer WHERE id = NEW.producer_id), false);
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER product_listed
        BEFORE INSERT OR UPDATE OF is_published, producer_id, is_listed ON product
        FOR EACH ROW EXECUTE FUNCTION product_listed()""",
    # AFTER: product_listed, fired by this update, then reads the producer's new state.
    """CREATE FUNCTION producer_listed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE product SET is_listed = (is_published AND NEW.is_active)
        WHERE producer_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER producer_listed
        AFTER UPDATE OF is_active ON producer FOR EACH ROW
        WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active)
        EXECUTE FUNCTION producer_listed()""",
]


def upgrade():
    # Plain ALTER TABLE, no batch copy: SQLite's full-text tables and triggers hang on
    # the product table.
    op.add_column(
        "product",
        sa.Column("is_listed", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute(
        "UPDATE product SET is_listed = (is_published AND coalesce("
        "(SELECT is_active FROM producer WHERE producer.id = product.producer_id), false))"
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
    for name, columns in INDEXES:
        op.create_index(name, "product", columns, unique=False)


def downgrade():
    for name, _ in INDEXES:
        op.drop_index(name, table_name="product")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS producer_listed ON producer")
        op.execute("DROP TRIGGER IF EXISTS product_listed ON product")
        op.execute("DROP FUNCTION IF EXISTS producer_listed()")
        op.execute("DROP FUNCTION IF EXISTS product_listed()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_column("product", "is_listed")
