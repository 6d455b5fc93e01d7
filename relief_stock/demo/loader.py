"""Builds the demo: the Zhejiang network (1 province, 11 city, 90 county depots at the division
seats, with 2020 census population), the relief catalogue and one user per role."""

import csv
from pathlib import Path

from sqlalchemy import func, select

from ..auth import operations as auth_ops
from ..auth.models import Role
from ..catalogue import importing
from ..extensions import db
from ..network import operations as network_ops
from ..network.models import Depot, Tier

DATA = Path(__file__).resolve().parent / "data"

# Demo accounts, listed by `flask demo users` (the run script's start banner). Demo only: change them in production.
DEMO_USERS = (
    ("admin", "admin-demo", Role.ADMIN, None, "系统管理员 Admin"),
    ("dispatcher", "dispatch-demo", Role.DISPATCHER, "330000", "省红会调度员 Province dispatcher"),
    ("hz-dispatcher", "dispatch-demo", Role.DISPATCHER, "330100", "杭州调度员 Hangzhou dispatcher"),
    ("keeper", "keeper-demo", Role.KEEPER, "330000", "省库保管员 Province keeper"),
    ("hz-keeper", "keeper-demo", Role.KEEPER, "330100", "杭州市库保管员 Hangzhou keeper"),
    ("sc-keeper", "keeper-demo", Role.KEEPER, "330102", "上城区库保管员 Shangcheng keeper"),
    ("auditor", "audit-demo", Role.AUDITOR, None, "审计员 Auditor"),
)
DEMO_USERS_HELP = [(u, p, f"{r.value}{' @' + d if d else ''}") for u, p, r, d, _ in DEMO_USERS]

TIERS = {"province": Tier.PROVINCE, "city": Tier.CITY, "county": Tier.COUNTY}


def has_data() -> bool:
    return bool(db.session.scalar(select(func.count(Depot.id))))


def load_all() -> list[str]:
    depots = load_network()
    items = load_catalogue()
    users = load_users()
    summary = [f"{depots} depots, {items} items, {users} users"]
    from ..dispatch.categories import load_defaults  # relief categories name catalogue items

    summary.append(load_defaults())
    from .stock import load_stock  # through the stock operations: a real ledger

    summary.append(load_stock())
    from ..alerts.demo import load_demo_alerts  # last: norms need the stock loaded above

    summary.append(load_demo_alerts())
    return summary


def _read(name: str):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_network() -> int:
    """One depot per division, at its seat, serving its census population (parents come first)."""
    by_code, places = {}, {}
    for row in _read("zhejiang_divisions.csv"):
        parent = by_code.get(row["parent_adcode"]) if row["parent_adcode"] else None
        # The full administrative address (浙江省杭州市上城区), as a manifest's reader needs it.
        places[row["adcode"]] = places.get(row["parent_adcode"], "") + row["name_zh"]
        by_code[row["adcode"]] = network_ops.create_depot(
            code=row["adcode"],
            tier=TIERS[row["level"]],
            parent=parent,
            name_zh=f"{row['name_zh']}红十字会备灾仓库",
            name_en=f"{row['name_en']} Red Cross relief depot",
            lat=float(row["lat"]),
            lng=float(row["lng"]),
            served_population=int(row["population"]) if row["population"] else None,
            avg_household_size=float(row["avg_household_size"]) if row["avg_household_size"] else None,
            address=places[row["adcode"]],
        )
    return len(by_code)


def load_catalogue() -> int:
    """The relief catalogue goes in through the same importer an administrator uses."""
    result = importing.import_catalogue((DATA / "catalogue.csv").read_bytes(), "catalogue.csv")
    return result.created + result.updated


def load_users() -> int:
    for username, password, role, depot_code, name in DEMO_USERS:
        depot = db.session.scalar(select(Depot).where(Depot.code == depot_code)) if depot_code else None
        auth_ops.create_user(username=username, display_name=name, password=password, role=role, depot=depot)
    return len(DEMO_USERS)
