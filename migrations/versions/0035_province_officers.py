"""province officers: the provinces whose OCOP dashboard an officer may read

Revision ID: 0035_province_officers
Revises: 0009_forgiving_search
Create Date: 2026-12-02 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0035_province_officers'
down_revision = '0015_product_stars'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'officer_province',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('province_code', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user_account.id'],
            name=op.f('fk_officer_province_user_id_user_account'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_province')),
        sa.UniqueConstraint(
            'user_id', 'province_code', name=op.f('uq_officer_province_user_id')
        ),
    )


def downgrade():
    op.drop_table('officer_province')
