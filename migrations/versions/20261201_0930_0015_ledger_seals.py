"""ledger seals: signed hash chain over the movement ledger

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-01 09:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0012'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    op.create_table(
        'ledger_seals',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('tree_size', BIG_ID, nullable=False),
        sa.Column('last_movement_id', BIG_ID, nullable=False),
        sa.Column('previous_head', sa.String(length=64), nullable=False),
        sa.Column('head', sa.String(length=64), nullable=False),
        sa.Column('sealed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('signature', sa.String(length=128), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_seals')),
    )
    op.create_table(
        'sealed_movements',
        sa.Column('movement_id', BIG_ID, autoincrement=False, nullable=False),
        sa.Column('position', BIG_ID, nullable=False),
        sa.Column('seal_id', sa.Integer(), nullable=False),
        sa.Column('chain', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['seal_id'], ['ledger_seals.id'], name=op.f('fk_sealed_movements_seal_id_ledger_seals')),
        sa.PrimaryKeyConstraint('movement_id', name=op.f('pk_sealed_movements')),
        sa.UniqueConstraint('position', name=op.f('uq_sealed_movements_position')),
    )
    op.create_index(op.f('ix_sealed_movements_seal_id'), 'sealed_movements', ['seal_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sealed_movements_seal_id'), table_name='sealed_movements')
    op.drop_table('sealed_movements')
    op.drop_table('ledger_seals')
