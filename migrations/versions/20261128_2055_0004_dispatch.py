"""dispatch: emergencies, affected sites, need lines, plans, plan outcomes and lines, approvals,
plan -> transfer links

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 20:55:01.256534

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('emergencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('typhoon', 'flood', 'earthquake', 'drill', name='emergencykind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('response_level', sa.Integer(), nullable=False),
    sa.Column('is_drill', sa.Boolean(), nullable=False),
    sa.Column('days_to_cover', sa.Integer(), nullable=False),
    sa.Column('scope_depot_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.CheckConstraint('days_to_cover > 0', name=op.f('ck_emergencies_days_positive')),
    sa.CheckConstraint('response_level BETWEEN 1 AND 4', name=op.f('ck_emergencies_response_level_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_emergencies_created_by_id_users')),
    sa.ForeignKeyConstraint(['scope_depot_id'], ['depots.id'], name=op.f('fk_emergencies_scope_depot_id_depots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergencies'))
    )
    with op.batch_alter_table('emergencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emergencies_scope_depot_id'), ['scope_depot_id'], unique=False)

    op.create_table('affected_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('emergency_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('depot_id', sa.Integer(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.CheckConstraint('population >= 0 AND households >= 0', name=op.f('ck_affected_sites_counts_not_negative')),
    sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_affected_sites_depot_id_depots')),
    sa.ForeignKeyConstraint(['emergency_id'], ['emergencies.id'], name=op.f('fk_affected_sites_emergency_id_emergencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affected_sites'))
    )
    with op.batch_alter_table('affected_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affected_sites_emergency_id'), ['emergency_id'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('emergency_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'approved', 'superseded', name='planstatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('release_reserves', sa.Boolean(), nullable=False),
    sa.Column('road_factor', sa.Float(), nullable=False),
    sa.Column('ton_km', sa.Float(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['emergency_id'], ['emergencies.id'], name=op.f('fk_plans_emergency_id_emergencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_emergency_id'), ['emergency_id'], unique=False)

    op.create_table('need_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('estimated_quantity', sa.Integer(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('standard', sa.String(length=255), nullable=True),
    sa.CheckConstraint('priority BETWEEN 1 AND 3', name=op.f('ck_need_lines_priority_range')),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_need_lines_quantity_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_need_lines_item_id_items')),
    sa.ForeignKeyConstraint(['site_id'], ['affected_sites.id'], name=op.f('fk_need_lines_site_id_affected_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_lines')),
    sa.UniqueConstraint('site_id', 'item_id', name=op.f('uq_need_lines_site_id_item_id'))
    )
    with op.batch_alter_table('need_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_lines_site_id'), ['site_id'], unique=False)

    op.create_table('plan_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_approvals_plan_id_plans')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plan_approvals_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_approvals')),
    sa.UniqueConstraint('plan_id', 'user_id', name=op.f('uq_plan_approvals_plan_id_user_id'))
    )
    with op.batch_alter_table('plan_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_approvals_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('from_depot_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('planned_quantity', sa.Integer(), nullable=False),
    sa.Column('km', sa.Float(), nullable=False),
    sa.Column('limited_by', sa.Enum('met', 'proportional_share', 'priority', 'reserve_floor', 'no_stock', 'edited', name='limit', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('below_floor', sa.Boolean(), nullable=False),
    sa.Column('edit_reason', sa.String(length=255), nullable=True),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_plan_lines_quantity_not_negative')),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_plan_lines_edited_by_id_users')),
    sa.ForeignKeyConstraint(['from_depot_id'], ['depots.id'], name=op.f('fk_plan_lines_from_depot_id_depots')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_plan_lines_item_id_items')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_lines_plan_id_plans')),
    sa.ForeignKeyConstraint(['site_id'], ['affected_sites.id'], name=op.f('fk_plan_lines_site_id_affected_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_lines'))
    )
    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_lines_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('requested', sa.Integer(), nullable=False),
    sa.Column('planned', sa.Integer(), nullable=False),
    sa.Column('limited_by', sa.Enum('met', 'proportional_share', 'priority', 'reserve_floor', 'no_stock', 'edited', name='limit', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_plan_outcomes_item_id_items')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_outcomes_plan_id_plans')),
    sa.ForeignKeyConstraint(['site_id'], ['affected_sites.id'], name=op.f('fk_plan_outcomes_site_id_affected_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_outcomes'))
    )
    with op.batch_alter_table('plan_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_outcomes_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_transfers_plan_id_plans')),
    sa.ForeignKeyConstraint(['site_id'], ['affected_sites.id'], name=op.f('fk_plan_transfers_site_id_affected_sites')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_plan_transfers_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_transfers')),
    sa.UniqueConstraint('transfer_id', name=op.f('uq_plan_transfers_transfer_id'))
    )
    with op.batch_alter_table('plan_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_transfers_plan_id'), ['plan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_transfers_plan_id'))

    op.drop_table('plan_transfers')
    with op.batch_alter_table('plan_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_outcomes_plan_id'))

    op.drop_table('plan_outcomes')
    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_lines_plan_id'))

    op.drop_table('plan_lines')
    with op.batch_alter_table('plan_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_approvals_plan_id'))

    op.drop_table('plan_approvals')
    with op.batch_alter_table('need_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_lines_site_id'))

    op.drop_table('need_lines')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_emergency_id'))

    op.drop_table('plans')
    with op.batch_alter_table('affected_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affected_sites_emergency_id'))

    op.drop_table('affected_sites')
    with op.batch_alter_table('emergencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emergencies_scope_depot_id'))

    op.drop_table('emergencies')
