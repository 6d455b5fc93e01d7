"""Cutting an order line down before dispatch, from the transfer page and the API: the line shrinks,
the commitment is released by the difference, and a cut below what is picked is refused by field."""

import re

from relief_stock.database import atomic
from relief_stock.dispatch import transfers
from relief_stock.extensions import db
from relief_stock.stock.commitments import open_commitment
from relief_stock.stock.reconcile import reconcile
from tests.dispatch.helpers import receive
from tests.dispatch.test_api import call  # noqa: F401  (fixture)
from tests.dispatch.test_commitments import approve, level, planned


def _approved(world, qty=80, picked=0):
    batch = receive(world, "330102", "QUILT", 100)
    (transfer,) = approve(world, planned(world, qty))
    if picked:
        with atomic():
            transfers.scan_pick(world.users["keeper"], transfer, batch.code, quantity=picked)
    return transfer


def test_the_transfer_page_cuts_a_line_and_frees_the_difference(client, world, login_as):
    transfer = _approved(world, picked=10)
    line = transfer.lines[0]
    login_as("dispatcher")
    page = client.get(f"/dispatch/transfers/{transfer.number}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    action = f"/dispatch/transfers/{transfer.number}/lines/{line.id}"
    assert action in html
    token = re.search(rf'action="{action}".*?name="form_token" value="([^"]+)"', html, re.S).group(1)
    form = {"quantity": "50", "reason": "site needs less", "form_token": token}
    done = client.post(action, data=form)
    assert done.status_code == 303
    db.session.expire_all()
    assert line.quantity == 50 and open_commitment(line) == 50 and level(world).committed == 50
    replay = client.post(action, data=form)  # a double tap writes once
    assert replay.status_code == 303 and level(world).committed == 50
    below = client.post(
        action, data={"quantity": "5", "form_token": "another"}, headers={"Accept-Language": "en"}
    )
    assert below.status_code == 422 and "between 10 and 50" in below.get_data(as_text=True)
    db.session.expire_all()
    assert line.quantity == 50 and reconcile() == []
    login_as("keeper")
    assert client.post(action, data={"quantity": "40", "form_token": "k"}).status_code == 403


def test_the_api_cuts_a_line_and_names_the_field_when_below_picked(world, call):  # noqa: F811
    transfer = _approved(world, picked=10)
    line = transfer.lines[0]
    path = f"/transfers/{transfer.number}/lines/{line.id}"
    assert call("POST", path, user="keeper", json={"qty": 30}).status_code == 403
    cut = call("POST", path, json={"qty": 30, "reason": "site needs less"}, key="cut-1")
    assert cut.status_code == 200, cut.json
    db.session.expire_all()
    assert line.quantity == 30 and open_commitment(line) == 30 and level(world).committed == 30
    below = call("POST", path, json={"qty": 9})
    assert below.status_code == 422 and "between 10 and 30" in below.json["errors"]["qty"][0], below.json
    assert call("POST", path, json={}).status_code == 422
    other = call("POST", f"/transfers/{transfer.number}/lines/{line.id + 999}", json={"qty": 5})
    assert other.status_code == 404
    db.session.expire_all()
    assert line.quantity == 30 and reconcile() == []
