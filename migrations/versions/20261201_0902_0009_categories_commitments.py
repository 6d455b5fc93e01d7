"""relief categories and their items; need lines and plan outcomes per category; committed stock
(stock_levels.committed and the commitments ledger); emergencies can be closed

Revision ID: 0009
Revises: 0013
Create Date: 2026-12-01 09:17:10.845389

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('relief_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('unit_zh', sa.String(length=32), nullable=False),
    sa.Column('unit_en', sa.String(length=32), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('standard_zh', sa.String(length=255), nullable=False),
    sa.Column('standard_en', sa.String(length=255), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_relief_categories_amount_not_negative')),
    sa.CheckConstraint('priority BETWEEN 1 AND 3', name=op.f('ck_relief_categories_priority_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relief_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_relief_categories_code'))
    )
    op.create_table('category_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('coverage', sa.Float(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=True),
    sa.CheckConstraint('coverage > 0', name=op.f('ck_category_members_coverage_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['relief_categories.id'], name=op.f('fk_category_members_category_id_relief_categories')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_category_members_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_members')),
    sa.UniqueConstraint('category_id', 'item_id', name=op.f('uq_category_members_category_id_item_id'))
    )
    with op.batch_alter_table('category_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_members_category_id'), ['category_id'], unique=False)

    op.create_table('commitments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.Enum('commit', 'release', 'consume', name='commitmentkind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('transfer_line_id', sa.Integer(), nullable=False),
    sa.Column('depot_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_commitments_depot_id_depots')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_commitments_item_id_items')),
    sa.ForeignKeyConstraint(['transfer_line_id'], ['transfer_lines.id'], name=op.f('fk_commitments_transfer_line_id_transfer_lines')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_commitments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments'))
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index('ix_commitments_depot_item', ['depot_id', 'item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_transfer_line_id'), ['transfer_line_id'], unique=False)

    with op.batch_alter_table('emergencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('need_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category_id', sa.Integer(), nullable=True))
        batch_op.alter_column('item_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_need_lines_site_id_category_id'), ['site_id', 'category_id'])
        batch_op.create_foreign_key(batch_op.f('fk_need_lines_category_id_relief_categories'), 'relief_categories', ['category_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_need_lines_item_or_category'), '(item_id IS NULL AND category_id IS NOT NULL) OR (item_id IS NOT NULL AND category_id IS NULL)')

    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_plan_lines_category_id_relief_categories'), 'relief_categories', ['category_id'], ['id'])

    with op.batch_alter_table('plan_outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fills', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('held_in_reserve', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('if_released', sa.Integer(), nullable=True))
        batch_op.alter_column('item_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_plan_outcomes_category_id_relief_categories'), 'relief_categories', ['category_id'], ['id'])

    with op.batch_alter_table('stock_levels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('committed', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), server_default='0', nullable=False))
        batch_op.create_check_constraint(op.f('ck_stock_levels_committed_not_negative'), 'committed >= 0')



def downgrade():
    with op.batch_alter_table('stock_levels', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_stock_levels_committed_not_negative'), type_='check')
        batch_op.drop_column('committed')

    with op.batch_alter_table('plan_outcomes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plan_outcomes_category_id_relief_categories'), type_='foreignkey')
        batch_op.alter_column('item_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('if_released')
        batch_op.drop_column('held_in_reserve')
        batch_op.drop_column('fills')
        batch_op.drop_column('category_id')

    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plan_lines_category_id_relief_categories'), type_='foreignkey')
        batch_op.drop_column('category_id')

    with op.batch_alter_table('need_lines', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_need_lines_item_or_category'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_need_lines_category_id_relief_categories'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_need_lines_site_id_category_id'), type_='unique')
        batch_op.alter_column('item_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('category_id')

    with op.batch_alter_table('emergencies', schema=None) as batch_op:
        batch_op.drop_column('closed_at')

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_transfer_line_id'))
        batch_op.drop_index('ix_commitments_depot_item')

    op.drop_table('commitments')
    with op.batch_alter_table('category_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_members_category_id'))

    op.drop_table('category_members')
    op.drop_table('relief_categories')
