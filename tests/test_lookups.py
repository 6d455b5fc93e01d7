"""One lookup per identifier: blanks (and for SKUs case) ignored; 422 on a named field, 404 for a path."""

import pytest

from relief_stock.catalogue.queries import item_by_sku
from relief_stock.errors import BadInput, NotFound
from relief_stock.network.queries import depot_by_code
from relief_stock.stock.lookups import batch_by_code, transfer_by_number


def test_depot_by_code_normalises_and_names_the_field(app, world):
    assert depot_by_code(" 330102 ") is world.depots["330102"]
    assert depot_by_code("", "depot", optional=True) is None
    with pytest.raises(NotFound):
        depot_by_code("999999")
    with pytest.raises(BadInput) as refused:
        depot_by_code("999999", "parent_code")
    assert refused.value.field == "parent_code" and "999999" in refused.value.message
    with pytest.raises(BadInput):
        depot_by_code("  ", "depot")  # blank is refused unless the field is optional


def test_item_by_sku_ignores_case_when_nothing_matches_exactly(app, world):
    assert item_by_sku(" quilt ") is world.items["QUILT"]
    assert item_by_sku(None, "sku", optional=True) is None
    with pytest.raises(BadInput) as refused:
        item_by_sku("NOPE", "lines.0.item")
    assert refused.value.errors == {"lines.0.item": [refused.value.message]}
    with pytest.raises(NotFound):
        item_by_sku("NOPE")


def test_batch_and_transfer_codes_404_in_a_path_422_in_a_field(app, world, receive_one):
    batch = receive_one(1)
    assert batch_by_code(batch.code.lower()) is batch
    mistyped = batch.code[:-1] + ("0" if batch.code[-1] != "0" else "1")
    with pytest.raises(NotFound):
        batch_by_code(mistyped)
    with pytest.raises(BadInput) as refused:
        batch_by_code(mistyped, field="code")
    assert refused.value.field == "code"
    with pytest.raises(NotFound):
        transfer_by_number("T-330100-2026-000001-X")
    with pytest.raises(BadInput):
        transfer_by_number("", field="transfer")
