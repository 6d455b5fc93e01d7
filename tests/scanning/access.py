"""Scanning endpoints (format: tests/test_permission_matrix.py).

Two sections, one per writer: B2's scan page and short URLs first, then B1's scan API.
"""

from tests.stock.access import _batch_at

# --- B2: the scan page and the short URLs printed in QR codes ----------------------------------
ACCESS = {
    "scanning.scan": "signed-in",
    "scanning.batch_url": "signed-in",
    "scanning.location_url": "signed-in",
    "scanning.transfer_url": "signed-in",
    "scanning.receipt_url": "signed-in",
}
URL_ARGS = {
    "scanning.batch_url": lambda ctx: {"code": _batch_at(ctx).code},
    "scanning.receipt_url": lambda ctx: {"code": _batch_at(ctx).receipt.number},
}

# --- B1: the scan API (add below) ----------------------------------------------------------------
ACCESS.update(
    {
        "api_scanning.scan": "signed-in",
    }
)
URL_ARGS.update(
    {
        "api_scanning.scan": lambda ctx: {"code": _batch_at(ctx).code},
    }
)
