"""The audit log (format: tests/test_permission_matrix.py)."""

ACCESS = {
    "audit.index": "admin auditor",
}
