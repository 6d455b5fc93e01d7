"""The audit log: every admin and norm change (users, roles, depots and their parents, norms, the
catalogue, relief categories, vehicle types) is recorded with who, before and after, in the same
transaction; auditors and administrators read them. Operations decide access themselves: a caller
that skips the page still cannot change what its user may not."""

import pytest
from sqlalchemy import select

from relief_stock.alerts import operations as alert_ops
from relief_stock.audit.models import AuditEntry
from relief_stock.auth import operations as auth_ops
from relief_stock.database import atomic
from relief_stock.errors import BadInput
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.network.models import Tier


def _entries():
    """The entries made by the test (the world's set-up is recorded too, as done by the system)."""
    return [
        (e.user.username if e.user else None, e.action, e.target, e.before, e.after)
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.user_id.is_not(None)).order_by(AuditEntry.id)
        )
    ]


def test_norm_role_and_parent_changes_are_recorded(app, world):
    admin, quilt = world.users["admin"], world.items["QUILT"]
    with atomic():
        alert_ops.set_norm(admin, quilt, 40, depot=world.depots["330102"])
        alert_ops.set_norm(admin, quilt, 40, depot=world.depots["330102"])  # no change: no entry
        alert_ops.set_norm(admin, quilt, 500, tier=Tier.COUNTY)
        alert_ops.set_norm(admin, quilt, None, depot=world.depots["330102"])
        auth_ops.update_user_from(
            admin, world.users["keeper"], {"role": "dispatcher", "depot_code": "330100"}
        )
        network_ops.update_depot(admin, world.depots["330106"], parent=world.depots["330200"])
    assert _entries() == [
        ("admin", "norm.set", "QUILT @ 330102", None, "40"),
        ("admin", "norm.set", "QUILT @ county", None, "500"),
        ("admin", "norm.set", "QUILT @ 330102", "40", None),
        ("admin", "user.role", "keeper", "keeper", "dispatcher"),
        ("admin", "user.depot", "keeper", "330102", "330100"),
        ("admin", "depot.parent", "330106", "330100", "330200"),
    ]


def test_a_refused_change_leaves_no_entry(app, world):
    with pytest.raises(BadInput), atomic():
        alert_ops.set_norm(world.users["admin"], world.items["QUILT"], -1, depot=world.depots["330102"])
    assert _entries() == []


def test_auditors_read_the_log_keepers_do_not(client, world, login_as):
    with atomic():
        alert_ops.set_norm(world.users["admin"], world.items["QUILT"], 12, depot=world.depots["330102"])
    login_as("auditor")
    page = client.get("/audit/?action=norm.set").get_data(as_text=True)
    assert "QUILT @ 330102" in page and "admin" in page
    login_as("keeper")
    assert client.get("/audit/").status_code == 403
