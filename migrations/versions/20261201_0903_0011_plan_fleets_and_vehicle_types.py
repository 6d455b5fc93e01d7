"""dispatch trucks: vehicle types (admin page) and each plan's transport cost, bound and baseline

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 09:24:14.325750

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "vehicle_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("capacity_kg", sa.Float(), nullable=False),
        sa.Column("capacity_m3", sa.Float(), nullable=False),
        sa.Column("fixed_cost", sa.Float(), nullable=False),
        sa.Column("cost_per_km", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "capacity_kg > 0 AND capacity_m3 > 0", name=op.f("ck_vehicle_types_capacity_positive")
        ),
        sa.CheckConstraint(
            "fixed_cost >= 0 AND cost_per_km >= 0", name=op.f("ck_vehicle_types_cost_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_types")),
        sa.UniqueConstraint("name", name=op.f("uq_vehicle_types_name")),
    )
    op.create_table(
        "plan_fleets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("lower_bound", sa.Float(), nullable=False),
        sa.Column("gap", sa.Float(), nullable=False),
        sa.Column("baseline_cost", sa.Float(), nullable=False),
        sa.Column("baseline_trucks", sa.Integer(), nullable=False),
        sa.Column("baseline_vehicle_km", sa.Float(), nullable=False),
        sa.Column("baseline_ton_km", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_plan_fleets_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_fleets")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_plan_fleets_plan_id")),
    )


def downgrade():
    op.drop_table("plan_fleets")
    op.drop_table("vehicle_types")
