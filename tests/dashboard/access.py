"""Dashboard endpoints (format: tests/test_permission_matrix.py).

The province's picture reads everywhere for admins and auditors; a dispatcher reads his subtree and
a keeper his own depot, so the pages naming a depot are scoped.
"""

SCOPED_READ = "admin auditor dispatcher@depot keeper@depot"

ACCESS = {
    "dashboard.reserve": SCOPED_READ,
    "dashboard.reserve_map": SCOPED_READ,
    "dashboard.batch_list": SCOPED_READ,
    "dashboard.movement_list": SCOPED_READ,
    "dashboard.reports": SCOPED_READ,
    "dashboard.report_file": SCOPED_READ,
    "dashboard.archived_report": SCOPED_READ,
}
URL_ARGS = {
    "dashboard.report_file": lambda ctx: {"code": ctx.depot.code, "kind": "shortfall"},
    "dashboard.archived_report": lambda ctx: {"code": ctx.depot.code, "month": "2026-11", "name": "none.pdf"},
}
