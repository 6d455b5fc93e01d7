"""Stock endpoints (format: tests/test_permission_matrix.py).

Two sections, one per writer: B2's pages (views*.py) first, then B1's JSON API (api.py).
Reading stock is open to every signed-in role; acting on it needs OPERATE_STOCK in the depot.
"""

from datetime import timedelta

from relief_stock.database import atomic, local_today
from relief_stock.stock import operations as ops


def _batch_at(ctx):
    """A batch at the case's depot, received by the admin (who may operate anywhere)."""
    with atomic():
        receipt = ops.receive(
            ctx.world.users["admin"],
            ctx.depot,
            [ops.ReceiptLine(ctx.world.items["WATER"], 50, expiry_date=local_today() + timedelta(days=200))],
            source_kind="purchase",
        )
        return receipt.batches[0]


def _stocktake_at(ctx):
    with atomic():
        return ops.open_stocktake(ctx.world.users["admin"], ctx.depot)


# --- B2: the keeper's pages ------------------------------------------------------------------
ACCESS = {
    "stock.batch": "signed-in",
    "stock.batch_action": "admin keeper@depot",
    "stock.receive": "admin keeper@depot",
    "stock.receipt": "admin auditor keeper@depot dispatcher@depot",  # as its note (printing)
    "stock.issue_item": "admin keeper@depot",
    "stock.stocktakes": "admin keeper@depot",
    "stock.stocktake": "admin keeper@depot",
    "stock.post_stocktake": "admin keeper@depot",
    "stock.approve_stocktake": "admin keeper@depot dispatcher@depot",
    "stock.depot_stock": "signed-in",
    "stock.item_stock": "signed-in",
    "stock.overview": "signed-in",
}
URL_ARGS = {
    "stock.batch": lambda ctx: {"code": _batch_at(ctx).code},
    "stock.batch_action": lambda ctx: {"code": _batch_at(ctx).code, "action": "issue"},
    "stock.receipt": lambda ctx: {"receipt_id": _batch_at(ctx).receipt_id},
    "stock.stocktake": lambda ctx: {"stocktake_id": _stocktake_at(ctx).id},
    "stock.post_stocktake": lambda ctx: {"stocktake_id": _stocktake_at(ctx).id},
    "stock.approve_stocktake": lambda ctx: {"stocktake_id": _stocktake_at(ctx).id},
}

# --- B1: the stock API (add below) -------------------------------------------------------------
# Writes naming a batch or a stocktake in the URL check the depot before validating the body, so
# they are scoped here; writes naming the depot in the body (receipts, issues by item, opening a
# count) are scoped by the operation itself (tested in tests/stock/test_operations.py).
_BATCH_WRITES = ("issue", "move", "adjust", "write_off", "quarantine", "release")
ACCESS.update(
    {
        "api_stock.receive": "admin keeper",
        "api_stock.issue_item": "admin keeper",
        "api_stock.open_stocktake": "admin keeper",
        **{f"api_stock.{name}": "admin keeper@depot" for name in _BATCH_WRITES},
        "api_stock.record_count": "admin keeper@depot",
        "api_stock.record_found": "admin keeper@depot",
        "api_stock.post_stocktake": "admin keeper@depot",
        "api_stock.batch": "signed-in",
        "api_stock.batches": "signed-in",
        "api_stock.batch_history": "signed-in",
        "api_stock.stocktake": "signed-in",
        "api_stock.stocktake_differences": "signed-in",
        "api_stock.depot_stock": "signed-in",
        "api_stock.item_stock": "signed-in",
        "api_stock.province_stock": "signed-in",
    }
)
URL_ARGS.update(
    {
        **{
            f"api_stock.{name}": (lambda ctx: {"code": _batch_at(ctx).code})
            for name in _BATCH_WRITES + ("batch", "batch_history")
        },
        **{
            f"api_stock.{name}": (lambda ctx: {"stocktake_id": _stocktake_at(ctx).id})
            for name in (
                "stocktake",
                "stocktake_differences",
                "record_count",
                "record_found",
                "post_stocktake",
            )
        },
    }
)
