"""ledger seals (signed hash chain over the movement ledger); donors, donations, donation lines

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-01 09:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = '0012'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade():
    op.create_table(
        "ledger_seals",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tree_size", BIG_ID, nullable=False),
        sa.Column("last_movement_id", BIG_ID, nullable=False),
        sa.Column("previous_head", sa.String(length=64), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_seals")),
    )
    op.create_table(
        "sealed_movements",
        sa.Column("movement_id", BIG_ID, autoincrement=False, nullable=False),
        sa.Column("position", BIG_ID, nullable=False),
        sa.Column("seal_id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["seal_id"], ["ledger_seals.id"], name=op.f("fk_sealed_movements_seal_id_ledger_seals")
        ),
        sa.PrimaryKeyConstraint("movement_id", name=op.f("pk_sealed_movements")),
        sa.UniqueConstraint("position", name=op.f("uq_sealed_movements_position")),
    )
    op.create_index(op.f("ix_sealed_movements_seal_id"), "sealed_movements", ["seal_id"], unique=False)
    op.create_table(
        "donors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("donorkind", "organisation", "individual"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=255), nullable=True),
        sa.Column("may_name_publicly", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_donors")),
    )
    op.create_index(op.f("ix_donors_name"), "donors", ["name"], unique=False)
    op.create_table(
        "donations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trace_code", sa.String(length=16), nullable=False),
        sa.Column("donor_id", sa.Integer(), nullable=False),
        sa.Column("depot_id", sa.Integer(), nullable=False),
        sa.Column("donated_date", sa.Date(), nullable=False),
        sa.Column("status", _enum("donationstatus", "declared", "received"), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=True),
        sa.Column("documents", sa.String(length=255), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_donations_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["depot_id"], ["depots.id"], name=op.f("fk_donations_depot_id_depots")),
        sa.ForeignKeyConstraint(["donor_id"], ["donors.id"], name=op.f("fk_donations_donor_id_donors")),
        sa.ForeignKeyConstraint(
            ["receipt_id"], ["receipts.id"], name=op.f("fk_donations_receipt_id_receipts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_donations")),
        sa.UniqueConstraint("receipt_id", name=op.f("uq_donations_receipt_id")),
        sa.UniqueConstraint("trace_code", name=op.f("uq_donations_trace_code")),
    )
    op.create_index(op.f("ix_donations_depot_id"), "donations", ["depot_id"], unique=False)
    op.create_index(op.f("ix_donations_donor_id"), "donations", ["donor_id"], unique=False)
    op.create_table(
        "donation_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("donation_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("declared_quantity", sa.Integer(), nullable=False),
        sa.Column("accepted_quantity", sa.Integer(), nullable=True),
        sa.Column(
            "difference_reason",
            _enum("differencereason", "damaged", "expired", "refused", "short"),
            nullable=True,
        ),
        sa.Column("difference_note", sa.String(length=255), nullable=True),
        sa.Column("batch_id", BIG_ID, nullable=True),
        sa.CheckConstraint("declared_quantity > 0", name=op.f("ck_donation_lines_declared_positive")),
        sa.CheckConstraint(
            "accepted_quantity IS NULL OR (accepted_quantity >= 0 AND accepted_quantity <= declared_quantity)",
            name=op.f("ck_donation_lines_accepted_within_declared"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_donation_lines_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["donation_id"], ["donations.id"], name=op.f("fk_donation_lines_donation_id_donations")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_donation_lines_item_id_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_donation_lines")),
    )
    op.create_index(op.f("ix_donation_lines_donation_id"), "donation_lines", ["donation_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_donation_lines_donation_id"), table_name="donation_lines")
    op.drop_table("donation_lines")
    op.drop_index(op.f("ix_donations_donor_id"), table_name="donations")
    op.drop_index(op.f("ix_donations_depot_id"), table_name="donations")
    op.drop_table("donations")
    op.drop_index(op.f("ix_donors_name"), table_name="donors")
    op.drop_table("donors")
    op.drop_index(op.f("ix_sealed_movements_seal_id"), table_name="sealed_movements")
    op.drop_table("sealed_movements")
    op.drop_table("ledger_seals")
