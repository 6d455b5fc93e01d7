"""alerts: reserve norms, per-capita standards, alerts, check runs, job locks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 20:55:00.193313

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade():
    op.create_table(
        'reserve_norms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('tier', _enum('tier', 'province', 'city', 'county'), nullable=True),
        sa.Column('depot_id', sa.Integer(), nullable=True),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('(tier IS NULL) <> (depot_id IS NULL)', name=op.f('ck_reserve_norms_tier_or_depot')),
        sa.CheckConstraint('quantity >= 0', name=op.f('ck_reserve_norms_quantity_not_negative')),
        sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_reserve_norms_depot_id_depots')),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_reserve_norms_item_id_items')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reserve_norms')),
        sa.UniqueConstraint('item_id', 'depot_id', name=op.f('uq_reserve_norms_item_id_depot_id')),
        sa.UniqueConstraint('item_id', 'tier', name=op.f('uq_reserve_norms_item_id_tier')),
    )
    op.create_index(op.f('ix_reserve_norms_depot_id'), 'reserve_norms', ['depot_id'], unique=False)
    op.create_table(
        'per_capita_standards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('tier', _enum('tier', 'province', 'city', 'county'), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('per_residents', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=255), nullable=True),
        sa.CheckConstraint('quantity >= 0', name=op.f('ck_per_capita_standards_quantity_not_negative')),
        sa.CheckConstraint('per_residents > 0', name=op.f('ck_per_capita_standards_per_residents_positive')),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_per_capita_standards_item_id_items')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_per_capita_standards')),
        sa.UniqueConstraint('item_id', 'tier', name=op.f('uq_per_capita_standards_item_id_tier')),
    )
    op.create_table(
        'alerts',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('dedup_key', sa.String(length=64), nullable=False),
        sa.Column('kind', _enum('alertkind', 'expiring', 'expired', 'shortfall'), nullable=False),
        sa.Column('severity', _enum('severity', 'info', 'warning', 'critical'), nullable=False),
        sa.Column('state', _enum('alertstate', 'open', 'acknowledged', 'resolved'), nullable=False),
        sa.Column('depot_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('batch_id', BIG_ID, nullable=True),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('norm', sa.Integer(), nullable=True),
        sa.Column('expiry_date', sa.Date(), nullable=True),
        sa.Column('suggestion', _enum('suggestion', 'transfer', 'drill', 'donate'), nullable=True),
        sa.Column('suggested_depot_id', sa.Integer(), nullable=True),
        sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
        sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_alerts_acknowledged_by_id_users')),
        sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_alerts_batch_id_batches')),
        sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_alerts_depot_id_depots')),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_alerts_item_id_items')),
        sa.ForeignKeyConstraint(['suggested_depot_id'], ['depots.id'], name=op.f('fk_alerts_suggested_depot_id_depots')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    )
    op.create_index(op.f('ix_alerts_batch_id'), 'alerts', ['batch_id'], unique=False)
    op.create_index('ix_alerts_state_depot', 'alerts', ['state', 'depot_id'], unique=False)
    op.create_index('uq_alerts_active_dedup_key', 'alerts', ['dedup_key'], unique=True,
                    sqlite_where=sa.text("state <> 'resolved'"), postgresql_where=sa.text("state <> 'resolved'"))
    op.create_table(
        'check_runs',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('run_count', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('check_date', sa.Date(), nullable=True),
        sa.Column('summary', sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_check_runs')),
    )
    op.create_table(
        'job_locks',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('holder', sa.String(length=128), nullable=True),
        sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('done_slot', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_job_locks')),
    )


def downgrade():
    op.drop_table('job_locks')
    op.drop_table('check_runs')
    op.drop_index('uq_alerts_active_dedup_key', table_name='alerts')
    op.drop_index('ix_alerts_state_depot', table_name='alerts')
    op.drop_index(op.f('ix_alerts_batch_id'), table_name='alerts')
    op.drop_table('alerts')
    op.drop_table('per_capita_standards')
    op.drop_index(op.f('ix_reserve_norms_depot_id'), table_name='reserve_norms')
    op.drop_table('reserve_norms')
