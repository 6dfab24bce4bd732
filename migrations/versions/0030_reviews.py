"""reviews from verified buyers (with the producer's reply, votes, reports and guests'
single-use links), and on the product row the review aggregates and units sold

Revision ID: 0030_reviews
Revises: 0036_programme_rollup
Create Date: 2026-12-02 01:13:13.282453

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_reviews'
down_revision = '0036_programme_rollup'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('variant_label', sa.String(length=120), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('has_photos', sa.Boolean(), nullable=False),
    sa.Column('helpful_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('visible', 'hidden', name='reviewstatus', native_enum=False, length=20), nullable=False),
    sa.Column('hidden_reason', sa.String(length=500), nullable=False),
    sa.Column('reply_body', sa.Text(), nullable=False),
    sa.Column('reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_review_stars_1_to_5')),
    sa.ForeignKeyConstraint(['part_id'], ['order_part.id'], name=op.f('fk_review_part_id_order_part')),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_review_producer_id_producer')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_review_product_id_product')),
    sa.ForeignKeyConstraint(['reply_by_id'], ['user_account.id'], name=op.f('fk_review_reply_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_review_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('part_id', 'product_id', name='uq_review_part_product')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_producer_id'), ['producer_id'], unique=False)
        batch_op.create_index('ix_review_product_helpful', ['product_id', 'status', 'helpful_count'], unique=False)
        batch_op.create_index('ix_review_product_newest', ['product_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_user_id'), ['user_id'], unique=False)

    op.create_table('review_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['part_id'], ['order_part.id'], name=op.f('fk_review_invite_part_id_order_part')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_review_invite_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_invite')),
    sa.UniqueConstraint('part_id', 'product_id', name='uq_review_invite_part_product'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_review_invite_token_hash'))
    )
    op.create_table('review_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_report_review_id_review'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_review_report_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_report')),
    sa.UniqueConstraint('review_id', 'user_id', name='uq_review_report_review_user')
    )
    with op.batch_alter_table('review_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_report_resolved_at'), ['resolved_at'], unique=False)

    op.create_table('review_vote',
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_vote_review_id_review'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_review_vote_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', 'user_id', name=op.f('pk_review_vote'))
    )
    # Plain ALTER TABLE ADD COLUMN, never a batch copy of the product table (its search
    # triggers from 0009 would be lost on SQLite).
    for column in ('rating_count', 'rating_sum', 'rating_1', 'rating_2', 'rating_3',
                   'rating_4', 'rating_5', 'sold_count'):
        op.add_column('product', sa.Column(column, sa.Integer(), server_default='0', nullable=False))
    op.add_column('product', sa.Column('rating_score', sa.Integer(), nullable=True))
    op.create_index('ix_product_rating', 'product', ['is_published', 'rating_score'], unique=False)


def downgrade():
    # Plain ALTER TABLE (SQLite 3.35+ drops columns itself): a batch copy of the product
    # table would lose the search triggers that 0009 put on it.
    op.drop_index('ix_product_rating', table_name='product')
    for column in ('sold_count', 'rating_score', 'rating_5', 'rating_4', 'rating_3',
                   'rating_2', 'rating_1', 'rating_sum', 'rating_count'):
        op.execute(f'ALTER TABLE product DROP COLUMN {column}')

    op.drop_table('review_vote')
    with op.batch_alter_table('review_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_report_resolved_at'))

    op.drop_table('review_report')
    op.drop_table('review_invite')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_user_id'))
        batch_op.drop_index('ix_review_product_newest')
        batch_op.drop_index('ix_review_product_helpful')
        batch_op.drop_index(batch_op.f('ix_review_producer_id'))
        batch_op.drop_index(batch_op.f('ix_review_part_id'))

    op.drop_table('review')
