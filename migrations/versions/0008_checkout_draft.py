"""checkout draft: what the buyer last typed at checkout, kept on the cart so every
checkout POST ends in a redirect

Revision ID: 0008_checkout_draft
Revises: 0007_fairs
Create Date: 2026-12-01 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_checkout_draft'
down_revision = '0007_fairs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkout_draft', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.drop_column('checkout_draft')
