"""Print endpoints (format: tests/test_permission_matrix.py). Everybody who may see a depot may print
its papers: keepers their own depot, dispatchers their subtree, auditors and admins everything."""

from tests.printing.helpers import receive, transfer_from

SCOPED = "admin auditor keeper@depot dispatcher@depot"

ACCESS = {
    "printing.batch_labels": SCOPED,
    "printing.receipt_labels": SCOPED,
    "printing.location_labels": SCOPED,
    "printing.label_options": SCOPED,
    "printing.manifest": SCOPED,
    "printing.picking_list": SCOPED,
    "printing.receipt_note": SCOPED,
}


def _receipt(ctx):
    return receive(ctx.world, ctx.depot.code, [("QUILT", 5)])


def _transfer(ctx):
    receive(ctx.world, ctx.depot.code, [("QUILT", 5)])
    return transfer_from(ctx.world, ctx.depot.code, {"QUILT": 3})


URL_ARGS = {
    "printing.batch_labels": lambda ctx: {"batch_ids": _receipt(ctx).batches[0].id},
    "printing.receipt_labels": lambda ctx: {"receipt_id": _receipt(ctx).id},
    "printing.receipt_note": lambda ctx: {"receipt_id": _receipt(ctx).id},
    "printing.label_options": lambda ctx: {"receipt_id": _receipt(ctx).id},
    "printing.manifest": lambda ctx: {"number": _transfer(ctx).number},
    "printing.picking_list": lambda ctx: {"number": _transfer(ctx).number},
}

# The count sheet belongs to the count, which only the depot's keepers (and admins) work on.
ACCESS["printing.count_sheet"] = "admin keeper@depot"


def _count(ctx):
    from tests.stock.access import _stocktake_at

    return _stocktake_at(ctx)


URL_ARGS["printing.count_sheet"] = lambda ctx: {"stocktake_id": _count(ctx).id}

ACCESS["printing.index"] = "signed-in"
