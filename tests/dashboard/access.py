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
}
