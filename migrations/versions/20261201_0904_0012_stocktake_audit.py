"""stocktake audit: blind counts, a reason per difference, misplaced batches, second-person approval

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:46:54.562901

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stocktake_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('misplaced_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_stocktake_lines_misplaced_from_id_locations'), 'locations', ['misplaced_from_id'], ['id'])

    with op.batch_alter_table('stocktakes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_blind', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_stocktakes_approved_by_id_users'), 'users', ['approved_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('stocktakes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stocktakes_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('is_blind')

    with op.batch_alter_table('stocktake_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stocktake_lines_misplaced_from_id_locations'), type_='foreignkey')
        batch_op.drop_column('misplaced_from_id')
        batch_op.drop_column('reason')

