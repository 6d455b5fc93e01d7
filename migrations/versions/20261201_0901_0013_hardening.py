"""hardening: 64-bit stock balances, users' session version

Revision ID: 0013
Revises: 0004
Create Date: 2026-12-01 09:30:00

Balances sum many deliveries, so on PostgreSQL they become BIGINT (SQLite's INTEGER is 64-bit
already and is left alone: no table rebuild). users.session_version is part of every session
cookie, so that signing out ends the sessions issued before.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0004'
branch_labels = None
depends_on = None

QUANTITY_COLUMNS = (
    ('batches', 'quantity'),
    ('movements', 'quantity'),
    ('movements', 'balance_after'),
    ('stock_levels', 'on_hand'),
    ('stock_levels', 'available'),
    ('stocktake_lines', 'system_quantity'),
)


def _postgresql():
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default=sa.text('0'), nullable=False))
    if _postgresql():
        for table, column in QUANTITY_COLUMNS:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade():
    if _postgresql():
        for table, column in QUANTITY_COLUMNS:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
