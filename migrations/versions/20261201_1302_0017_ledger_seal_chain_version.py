"""each ledger seal records the chain version (which movement columns its leaves cover)

Revision ID: 0017
Revises: 0010
Create Date: 2026-12-01 13:02:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # Every seal written before this column existed was made with chain version 1.
    with op.batch_alter_table('ledger_seals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('ledger_seals', schema=None) as batch_op:
        batch_op.drop_column('version')
