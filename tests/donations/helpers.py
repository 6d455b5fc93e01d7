"""Building blocks for the donation tests."""

from relief_stock.extensions import db
from relief_stock.scanning import codes
from relief_stock.stock.models import Transfer, TransferLine


def transfer_order(world, user, to_depot=None, site=None, quantity=0, origin="330100", sku="QUILT"):
    """A transfer order as dispatch approves it (dispatch/transfers.py writes the same two rows)."""
    origin = world.depots[origin]
    transfer = Transfer(
        number=codes.next_code(codes.TRANSFER, origin.code),
        from_depot_id=origin.id,
        to_depot_id=to_depot.id if to_depot else None,
        to_site_name=site,
        created_by_id=user.id,
    )
    db.session.add(transfer)
    db.session.flush()
    line = TransferLine(transfer_id=transfer.id, item_id=world.items[sku].id, quantity=quantity)
    db.session.add(line)
    db.session.flush()
    return transfer, line
