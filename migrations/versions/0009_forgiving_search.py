"""forgiving search: product names indexed on their own, only listed products in the
SQLite indexes (with prefix indexes), and the vocabulary of search terms

Revision ID: 0009_forgiving_search
Revises: 0008_checkout_draft
Create Date: 2026-12-01 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_forgiving_search'
down_revision = '0008_checkout_draft'
branch_labels = None
depends_on = None


# A product is listed when it is published and its producer is active: only listed
# products are in the SQLite index, so counting and ranking never read product rows.
_LISTED_NEW = "new.is_published AND (SELECT is_active FROM producer WHERE id = new.producer_id)"
_LISTED_OLD = "old.is_published AND (SELECT is_active FROM producer WHERE id = old.producer_id)"


def _sqlite_index(table, column, prefix):
    """An FTS5 table over one folded column of listed products, kept by triggers."""
    return [
        # External content; prefix indexes make one- to three-letter prefixes ("b",
        # "so", "tho") as cheap as whole words.
        f"""CREATE VIRTUAL TABLE {table} USING fts5(
            {column}, content='product', content_rowid='id',
            tokenize='unicode61', prefix='1 2 3'
        )""",
        f"""CREATE TRIGGER {prefix}_insert AFTER INSERT ON product WHEN {_LISTED_NEW} BEGIN
            INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column});
        END""",
        f"""CREATE TRIGGER {prefix}_delete AFTER DELETE ON product WHEN {_LISTED_OLD} BEGIN
            INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column});
        END""",
        # One trigger, so the old entry always leaves before the new one arrives.
        f"""CREATE TRIGGER {prefix}_update
        AFTER UPDATE OF is_published, producer_id, {column} ON product BEGIN
            INSERT INTO {table}({table}, rowid, {column})
            SELECT 'delete', old.id, old.{column} WHERE {_LISTED_OLD};
            INSERT INTO {table}(rowid, {column})
            SELECT new.id, new.{column} WHERE {_LISTED_NEW};
        END""",
        f"""CREATE TRIGGER {prefix}_producer AFTER UPDATE OF is_active ON producer
        WHEN old.is_active IS NOT new.is_active BEGIN
            INSERT INTO {table}({table}, rowid, {column})
            SELECT 'delete', id, {column} FROM product
            WHERE producer_id = old.id AND is_published AND old.is_active;
            INSERT INTO {table}(rowid, {column})
            SELECT id, {column} FROM product
            WHERE producer_id = new.id AND is_published AND new.is_active;
        END""",
        f"""INSERT INTO {table}(rowid, {column})
        SELECT p.id, p.{column} FROM product p
        JOIN producer r ON r.id = p.producer_id WHERE p.is_published AND r.is_active""",
    ]


# Names on their own, so a name-only match walks the names' short word lists rather
# than every word of every description.
SQLITE_SEARCH = [
    *_sqlite_index("product_fts", "search_text", "product_fts"),
    *_sqlite_index("product_fts_name", "search_name", "product_fts_name"),
    # The index's own word list, read when the search vocabulary is rebuilt.
    "CREATE VIRTUAL TABLE product_fts_vocab USING fts5vocab(product_fts, 'row')",
]

SQLITE_TRIGGERS = [
    f"{prefix}_{event}"
    for prefix in ("product_fts", "product_fts_name")
    for event in ("insert", "delete", "update", "producer")
]

# What 0001 made, for the downgrade.
SQLITE_SEARCH_0001 = [
    """CREATE VIRTUAL TABLE product_fts USING fts5(
        search_text, content='product', content_rowid='id', tokenize='unicode61'
    )""",
    """CREATE TRIGGER product_fts_insert AFTER INSERT ON product BEGIN
        INSERT INTO product_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER product_fts_delete AFTER DELETE ON product BEGIN
        INSERT INTO product_fts(product_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER product_fts_update AFTER UPDATE OF search_text ON product BEGIN
        INSERT INTO product_fts(product_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO product_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO product_fts(product_fts) VALUES ('rebuild')",
]

POSTGRES_SEARCH = [
    """ALTER TABLE product ADD COLUMN search_name_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_name)) STORED""",
    "CREATE INDEX ix_product_search_name_tsv ON product USING gin (search_name_tsv)",
]


def _drop_sqlite_search():
    for trigger in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("product_fts_vocab", "product_fts_name", "product_fts"):
        op.execute(f"DROP TABLE IF EXISTS {table}")


def upgrade():
    op.create_table('search_term',
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('products', sa.Integer(), nullable=False),
    sa.Column('in_names', sa.Integer(), nullable=False),
    sa.Column('display', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('term', name=op.f('pk_search_term'))
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_search()
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in POSTGRES_SEARCH:
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_search()
        for statement in SQLITE_SEARCH_0001:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_product_search_name_tsv")
        op.execute("ALTER TABLE product DROP COLUMN IF EXISTS search_name_tsv")
    op.drop_table('search_term')
