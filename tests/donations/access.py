"""The public donation trace (format: tests/test_permission_matrix.py)."""

ACCESS = {
    "donations.lookup": "public",
    "donations.trace": "public",
    "donations.checkpoint": "public",
}
