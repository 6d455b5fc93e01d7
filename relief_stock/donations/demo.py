"""Demo donors and donations, registered and received through the donation operations (so each
donated batch carries its trace code in the ledger): a consenting organisation, an individual who
gives anonymously, a company with a difference on intake, and one donation still to receive."""

from datetime import timedelta

from sqlalchemy import select

from ..auth.models import User
from ..catalogue.models import Item
from ..database import local_today
from ..extensions import db
from ..network.models import Depot
from . import operations as ops

# name, kind, consent, contact, phone, e-mail
DONORS = (
    ("浙商爱心联盟", "organisation", True, "陈立", "0571-87000000", "csr@zjsh.example.org"),
    ("王秀英", "individual", False, None, "13800000000", None),
    ("杭州某科技公司", "organisation", False, "刘洋", "0571-86000000", None),
)
# donor, depot, days ago, [(sku, declared, accepted, reason)]; accepted None: still declared
DONATIONS = (
    (0, "330000", 30, [("BED-QUILT", 500, 500, None), ("WAT-BOTTLE-24", 120, 110, "damaged")]),
    (1, "330100", 12, [("BED-BLKT-W30", 80, 80, None)]),
    (2, "330102", 5, [("HH-FAMILYKIT", 60, 52, "refused"), ("MED-MASK-50", 20, 20, None)]),
    (0, "330102", 1, [("CLO-JACKET", 40, None, None)]),
)


def load_demo_donations() -> str:
    """Flushes only (the loader commits)."""
    today = local_today()
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    items = {item.sku: item for item in db.session.scalars(select(Item))}
    depots = {depot.code: depot for depot in db.session.scalars(select(Depot))}
    donors = [
        ops.register_donor(
            admin,
            kind=kind,
            name=name,
            may_name_publicly=consent,
            contact_name=contact,
            phone=phone,
            email=email,
        )
        for name, kind, consent, contact, phone, email in DONORS
    ]
    made = 0
    for donor, code, days_ago, lines in DONATIONS:
        lines = [line for line in lines if line[0] in items]
        if code not in depots or not lines:
            continue
        donation = ops.declare_donation(
            admin,
            donors[donor],
            depots[code],
            [ops.DeclaredLine(items[sku], declared) for sku, declared, _a, _r in lines],
            donated_date=today - timedelta(days=days_ago),
            documents=f"捐赠协议 ZJ-{today:%Y}-{100 + made}",
        )
        made += 1
        if lines[0][2] is None:
            continue  # still to be received: the keeper finds it on the donations page
        acceptances = {}
        for line, (sku, _declared, accepted, reason) in zip(donation.lines, lines, strict=True):
            shelf_life = items[sku].shelf_life_months
            acceptances[line.id] = ops.Acceptance(
                accepted,
                reason,
                note="外箱破损" if reason == "damaged" else ("无产品合格证" if reason == "refused" else None),
                expiry_date=today + timedelta(days=shelf_life * 30) if shelf_life else None,
            )
        ops.receive_donation(admin, donation, acceptances, received_date=today - timedelta(days=days_ago))
    return f"{len(donors)} donors, {made} donations"
