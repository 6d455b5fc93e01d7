"""Dashboard endpoints (format: tests/test_permission_matrix.py).

The province's picture reads everywhere for admins and auditors; a dispatcher reads his subtree and
a keeper his own depot, so the pages naming a depot are scoped.
"""

SCOPED_READ = "admin auditor dispatcher@depot keeper@depot"

ACCESS = {
    "reserve.picture": SCOPED_READ,
    "reserve.map": SCOPED_READ,
    "reserve.batches": SCOPED_READ,
    "reserve.movements": SCOPED_READ,
    "reserve.reports": SCOPED_READ,
    "reserve.report_file": SCOPED_READ,
    "reserve.archived_report": SCOPED_READ,
}
URL_ARGS = {
    "reserve.report_file": lambda ctx: {"code": ctx.depot.code, "kind": "shortfall"},
    "reserve.archived_report": lambda ctx: {"code": ctx.depot.code, "month": "2026-11", "name": "none.pdf"},
}
