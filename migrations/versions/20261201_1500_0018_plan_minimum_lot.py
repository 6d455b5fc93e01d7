"""plans record the minimum lot they were made with and what it held back; plan outcomes what the lot
held back and what drawing on it would give; the limit 'min_lot'

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

OLD_LIMITS = ('met', 'proportional_share', 'priority', 'reserve_floor', 'no_stock', 'edited')
NEW_LIMITS = OLD_LIMITS[:4] + ('min_lot',) + OLD_LIMITS[4:]


def _limits(values):
    return "limited_by IN (%s)" % ", ".join(f"'{v}'" for v in values)


def upgrade():
    # Plans made before this had no minimum lot: every depot was drawn on (0).
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_lot_kg', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('min_lot_beyond_km', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('held_back', sa.JSON(), nullable=True))
    with op.batch_alter_table('plan_outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_back', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('if_lots_drawn', sa.Integer(), nullable=True))
    for table in ('plan_outcomes', 'plan_lines'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_limit'), type_='check')
            batch_op.create_check_constraint(op.f(f'ck_{table}_limit'), _limits(NEW_LIMITS))


def downgrade():
    # The old schema has no word for it: a line the minimum lot limited was limited by supply.
    for table in ('plan_outcomes', 'plan_lines'):
        op.execute(f"UPDATE {table} SET limited_by = 'proportional_share' WHERE limited_by = 'min_lot'")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_limit'), type_='check')
            batch_op.create_check_constraint(op.f(f'ck_{table}_limit'), _limits(OLD_LIMITS))
    with op.batch_alter_table('plan_outcomes', schema=None) as batch_op:
        batch_op.drop_column('if_lots_drawn')
        batch_op.drop_column('held_back')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('held_back')
        batch_op.drop_column('min_lot_beyond_km')
        batch_op.drop_column('min_lot_kg')
