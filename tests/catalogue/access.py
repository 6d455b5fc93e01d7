"""Catalogue pages and API (format: tests/test_permission_matrix.py)."""

ACCESS = {
    "catalogue.index": "signed-in",
    "catalogue.item": "signed-in",
    "catalogue.create_item": "admin",
    "catalogue.edit_item": "admin",
    "catalogue.import_items": "admin",
    "catalogue.export_items": "signed-in",
    "api_items.list_items": "signed-in",
    "api_items.create_item": "admin",
    "api_items.get_item": "signed-in",
    "api_items.update_item": "admin",
    "api_items.import_items": "admin",
    "api_items.export_items": "signed-in",
}
