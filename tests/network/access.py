"""Depot pages and API (format: tests/test_permission_matrix.py)."""

ACCESS = {
    "network.tree": "signed-in",
    "network.depot": "signed-in",
    "network.create_depot": "admin",
    "network.edit_depot": "admin",
    "network.set_active": "admin",
    "network.add_location": "admin keeper@depot",
    "api_depots.list_depots": "signed-in",
    "api_depots.create_depot": "admin",
    "api_depots.get_depot": "signed-in",
    "api_depots.update_depot": "admin",
    "api_depots.list_locations": "signed-in",
    "api_depots.create_location": "admin keeper@depot",
}
