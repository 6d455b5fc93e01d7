"""The Print menu's page: every paper of the keeper's depot one tap away."""

from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic
from relief_stock.network import operations as network_ops
from relief_stock.stock import operations as ops


def test_print_menu_lists_the_depots_papers(client, world, login_as, receive_one):
    with atomic():
        network_ops.create_location(SYSTEM, world.depots["330102"], "A-01")
        count = ops.open_stocktake(world.users["keeper"], world.depots["330102"])
    batch = receive_one(5)
    login_as("keeper")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/print/"' in dashboard  # the menu entry
    page = client.get("/print/").get_data(as_text=True)
    assert "/print/depots/330102/locations/labels" in page
    assert f"/print/receipts/{batch.receipt_id}/note" in page
    assert f"/print/counts/{count.id}/sheet" in page
    assert client.get("/print/?depot=330203").status_code == 403  # another keeper's depot
    login_as("auditor")
    assert "/print/depots/330102/locations/labels" in client.get("/print/?depot=330102").get_data(
        as_text=True
    )
