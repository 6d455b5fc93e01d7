"""Dispatch endpoints (format: tests/test_permission_matrix.py).

Reading emergencies, plans and transfer pages is open to every signed-in role. Planning needs
PLAN_DISPATCH inside the emergency's scope (builders scope it to the case's depot); picking and
dispatch need OPERATE_STOCK at the sending depot, receipt at the receiving one; a delivery to a site
may be confirmed by the sending depot's keeper or a dispatcher covering it.
"""

from relief_stock.database import atomic
from relief_stock.dispatch import operations
from relief_stock.dispatch.models import EmergencyKind
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.kinds import SourceKind

POINT = (30.30, 120.20)


def _stock(ctx, depot):
    with atomic():
        line = stock_ops.ReceiptLine(ctx.world.items["QUILT"], 10)
        stock_ops.receive(ctx.world.users["admin"], depot, [line], source_kind=SourceKind.PURCHASE)


def _emergency(ctx, site_depot=None, stock_at=None):
    """An emergency scoped to the case's depot, one site needing 5 quilts, stock to plan from."""
    admin = ctx.world.users["admin"]
    _stock(ctx, stock_at or ctx.depot)
    with atomic():
        e = operations.create_emergency(
            admin, name="matrix", kind=EmergencyKind.FLOOD, response_level=3, scope_depot=ctx.depot
        )
        site = operations.add_site(
            admin,
            e,
            name="site",
            depot=site_depot,
            lat=None if site_depot else POINT[0],
            lng=None if site_depot else POINT[1],
            population=10,
        )
        operations.set_need(admin, site, ctx.world.items["QUILT"], 5, 1)
    return e


def _plan(ctx, site_depot=None, stock_at=None):
    """A draft plan sending 5 quilts from the depot in the URL, however far: the minimum lot is not
    what the matrix tests, so it is 0 (every depot drawn on)."""
    with atomic():
        return operations.make_plan(
            ctx.world.users["admin"], _emergency(ctx, site_depot, stock_at), min_lot_kg=0
        )


def _transfer(ctx, site_depot=None, stock_at=None):
    admin = ctx.world.users["admin"]
    plan = _plan(ctx, site_depot, stock_at)
    with atomic():
        (transfer,) = operations.approve(admin, plan)
        return transfer


def _line_args(ctx):
    transfer = _transfer(ctx)
    return {"number": transfer.number, "line_id": transfer.lines[0].id}


def _inbound(ctx):
    """A transfer *to* the case's depot (from 330106), for the receiving keeper's endpoint."""
    source = ctx.world.depots["330106"]
    return _transfer(ctx, site_depot=ctx.depot, stock_at=source)


def _vehicle_type(ctx):
    from relief_stock.dispatch import vehicle_types

    with atomic():
        return vehicle_types.save(
            ctx.world.users["admin"],
            name="matrix truck",
            capacity_kg=1000,
            capacity_m3=8,
            fixed_cost=100,
            cost_per_km=1,
        )


ACCESS = {
    "dispatch.index": "signed-in",
    "dispatch.create_emergency": "admin dispatcher",
    "dispatch.emergency": "signed-in",
    "dispatch.add_site": "admin dispatcher@depot",
    "dispatch.estimate": "admin dispatcher@depot",
    "dispatch.set_need": "admin dispatcher@depot",
    "dispatch.make_plan": "admin dispatcher@depot",
    "dispatch.plan": "signed-in",
    "dispatch.edit_line": "admin dispatcher@depot",
    "dispatch.approve": "admin dispatcher@depot",
    "dispatch.transfer": "signed-in",
    "dispatch.pick": "admin keeper@depot",
    "dispatch.dispatch": "admin keeper@depot",
    "dispatch.receive": "admin keeper@depot",
    "dispatch.deliver": "admin keeper@depot dispatcher@depot",
    "dispatch.worklist": "signed-in",
    "dispatch.cancel_transfer": "admin dispatcher@depot",
    "dispatch.cut_line": "admin dispatcher@depot",
    "dispatch.vehicles_page": "admin",
    "dispatch.save_vehicle": "admin",
    "dispatch.delete_vehicle": "admin",
    "dispatch.categories_page": "signed-in",
    "dispatch.plan_documents": "signed-in",
    "dispatch.edit_lines": "admin dispatcher@depot",
    "dispatch.update_emergency": "admin dispatcher@depot",
    "dispatch.close_emergency": "admin dispatcher@depot",
    "dispatch.import_categories": "admin",
    "dispatch.edit_category": "admin",
    "api_dispatch.create_emergency": "admin dispatcher",
    "api_dispatch.emergency": "signed-in",
    "api_dispatch.update_emergency": "admin dispatcher@depot",
    "api_dispatch.add_site": "admin dispatcher@depot",
    "api_dispatch.estimate_needs": "admin dispatcher@depot",
    "api_dispatch.needs": "signed-in",
    "api_dispatch.set_needs": "admin dispatcher@depot",
    "api_dispatch.make_plan": "admin dispatcher@depot",
    "api_dispatch.plan": "signed-in",
    "api_dispatch.approve": "admin dispatcher@depot",
    "api_dispatch.list_transfers": "signed-in",
    "api_dispatch.transfer": "signed-in",
    "api_dispatch.pick": "admin keeper@depot",
    "api_dispatch.unpick": "admin keeper@depot",
    "api_dispatch.dispatch": "admin keeper@depot",
    "api_dispatch.receive": "admin keeper@depot",
    "api_dispatch.cancel": "admin dispatcher@depot",
    "api_dispatch.cut_line": "admin dispatcher@depot",
}
URL_ARGS = {
    "dispatch.emergency": lambda ctx: {"emergency_id": _emergency(ctx).id},
    "dispatch.add_site": lambda ctx: {"emergency_id": _emergency(ctx).id},
    "dispatch.estimate": lambda ctx: {"emergency_id": _emergency(ctx).id},
    "dispatch.set_need": lambda ctx: {"emergency_id": _emergency(ctx).id},
    "dispatch.make_plan": lambda ctx: {"emergency_id": _emergency(ctx).id},
    "dispatch.plan": lambda ctx: {"plan_id": _plan(ctx).id},
    "dispatch.edit_line": lambda ctx: (lambda p: {"plan_id": p.id, "line_id": p.lines[0].id})(_plan(ctx)),
    "dispatch.approve": lambda ctx: {"plan_id": _plan(ctx).id},
    "dispatch.transfer": lambda ctx: {"number": _transfer(ctx).number},
    "dispatch.pick": lambda ctx: {"number": _transfer(ctx).number},
    "dispatch.dispatch": lambda ctx: {"number": _transfer(ctx).number},
    "dispatch.receive": lambda ctx: {"number": _inbound(ctx).number},
    "dispatch.deliver": lambda ctx: {"number": _transfer(ctx).number},
    "dispatch.worklist": lambda ctx: {"code": ctx.depot.code},
    "dispatch.cancel_transfer": lambda ctx: {"number": _transfer(ctx).number},
    "dispatch.cut_line": lambda ctx: _line_args(ctx),
    "api_dispatch.cut_line": lambda ctx: _line_args(ctx),
    "dispatch.delete_vehicle": lambda ctx: {"vehicle_id": _vehicle_type(ctx).id},
    **{
        f"api_dispatch.{name}": lambda ctx: {"emergency_id": _emergency(ctx).id}
        for name in (
            "emergency",
            "update_emergency",
            "add_site",
            "estimate_needs",
            "needs",
            "set_needs",
            "make_plan",
        )
    },
    "dispatch.edit_category": lambda ctx: {"code": "BEDDING"},
    "dispatch.edit_lines": lambda ctx: {"plan_id": _plan(ctx).id},
    "dispatch.update_emergency": lambda ctx: {"emergency_id": _emergency(ctx).id},
    "dispatch.close_emergency": lambda ctx: {"emergency_id": _emergency(ctx).id},
    "dispatch.plan_documents": lambda ctx: {"plan_id": _plan(ctx).id, "kind": "manifests"},
    "api_dispatch.plan": lambda ctx: {"plan_id": _plan(ctx).id},
    "api_dispatch.approve": lambda ctx: {"plan_id": _plan(ctx).id},
    **{
        f"api_dispatch.{name}": lambda ctx: {"number": _transfer(ctx).number}
        for name in ("transfer", "pick", "unpick", "dispatch", "cancel")
    },
    "api_dispatch.receive": lambda ctx: {"number": _inbound(ctx).number},
}
