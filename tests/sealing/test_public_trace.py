"""The trace page says whether a donation's ledger entries are covered by a published checkpoint,
and the checkpoint itself is public."""

import json

from relief_stock.database import atomic
from relief_stock.sealing import keys
from relief_stock.sealing.checkpoints import Checkpoint
from relief_stock.sealing.operations import publish_checkpoint, seal_ledger
from relief_stock.sealing.verify import verify_ledger
from relief_stock.stock import operations as ops


def _donate(world, quantity):
    with atomic():
        receipt = ops.receive(
            world.users["keeper"],
            world.depots["330102"],
            [ops.ReceiptLine(world.items["QUILT"], quantity)],
            source_kind="donation",
            supplier="爱心企业",
            donor_ref="JZ-2026-0099",
        )
        return receipt.batches[0]


def _sealed_section(client):
    page = client.get("/donations/JZ-2026-0099", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return text[text.index('id="sealed"') :]


def test_the_trace_follows_sealing_and_publishing(client, world, login_as):
    login_as("auditor")  # a donor reference typed by staff traces only for staff
    batch = _donate(world, 40)
    assert "will be sealed within minutes" in _sealed_section(client)
    assert client.get("/donations/checkpoint.json").status_code == 404

    seal_ledger()
    assert "1 of 1 ledger entries of this donation are sealed" in _sealed_section(client)

    publish_checkpoint()
    section = _sealed_section(client)
    assert "All 1 ledger entries of this donation are sealed in the signed ledger and covered by" in section
    assert "Checkpoint 1 (JSON)" in section

    with atomic():
        ops.issue(world.users["keeper"], batch, 10)
    seal_ledger()
    assert "1 of 2 ledger entries of this donation are covered by the checkpoint" in _sealed_section(client)


def test_the_published_checkpoint_is_public_and_verifies(client, world):
    _donate(world, 5)
    publish_checkpoint()
    response = client.get("/donations/checkpoint.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    published = Checkpoint.from_json(response.get_data(as_text=True))
    key = keys.load_public_key(json.loads(response.get_data(as_text=True))["public_key"].encode())
    assert published.verifies(key)
    assert verify_ledger(key, published).ok


def test_the_chinese_page_says_it_in_chinese(client, world, login_as):
    login_as("auditor")
    _donate(world, 5)
    publish_checkpoint()
    page = client.get("/donations/JZ-2026-0099", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "防篡改记录" in page and "全部 1 条台账记录均已封存进签名台账" in page
