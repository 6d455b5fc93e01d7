"""Demo norms: per-capita standards per tier (data/per_capita_standards.csv), then one check run, so
that the demo shows coverage, shortfalls and expiry alerts as soon as it is loaded."""

import csv
from pathlib import Path

from sqlalchemy import select

from ..auth.models import Role, User
from ..catalogue.models import Item
from ..extensions import db
from ..network.models import Tier
from .checks import run_checks
from .operations import set_standard

STANDARDS = Path(__file__).resolve().parent / "data" / "per_capita_standards.csv"


def load_demo_alerts() -> str:
    """Set the demo per-capita standards and run the checks once. Flushes only (the loader commits)."""
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    items = {item.sku: item for item in db.session.scalars(select(Item))}
    with open(STANDARDS, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["sku"] in items]
    for row in rows:
        set_standard(
            admin,
            items[row["sku"]],
            Tier(row["tier"]),
            int(row["quantity"]),
            per_residents=int(row["per_residents"]),
            source=row["source"],
        )
    return f"{len(rows)} per-capita reserve standards; alert checks {run_checks()}"
