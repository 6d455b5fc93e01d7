"""Builders shared by the dispatch tests: stock received through the stock operations, norms through
the alerts operations, emergencies through the dispatch operations."""

from datetime import timedelta

from relief_stock.alerts import operations as alert_ops
from relief_stock.database import atomic, local_today
from relief_stock.dispatch import operations
from relief_stock.dispatch.models import EmergencyKind
from tests import factories


def receive(world, depot_code, sku, quantity, expires_in_days=None):
    expiry = local_today() + timedelta(days=expires_in_days) if expires_in_days else None
    return factories.receive(world, depot_code, sku, quantity, expiry_date=expiry)


def norm(world, depot_code, sku, quantity):
    with atomic():
        alert_ops.set_norm(world.users["admin"], world.items[sku], quantity, depot=world.depots[depot_code])


def emergency(world, user="dispatcher", level=3, kind=EmergencyKind.FLOOD, scope=None, sites=()):
    """An emergency with sites [(name, depot code or (lat, lng), {sku: (qty, priority)})]."""
    actor = world.users[user]
    with atomic():
        e = operations.create_emergency(
            actor,
            name="Test flood",
            kind=kind,
            response_level=level,
            scope_depot=world.depots[scope] if scope else None,
        )
        for name, where, lines in sites:
            depot = world.depots[where] if isinstance(where, str) else None
            lat, lng = (None, None) if depot else where
            site = operations.add_site(actor, e, name=name, depot=depot, lat=lat, lng=lng, population=100)
            for sku, (qty, priority) in lines.items():
                operations.set_need(actor, site, world.items[sku], qty, priority)
    return e
