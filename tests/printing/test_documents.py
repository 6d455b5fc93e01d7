"""Manifest, picking list and receipt note: Chinese renders (embedded font), the header and page
numbers repeat on every page, all lines appear once, totals match, QR codes scan, English too."""

import re
from decimal import Decimal

import pytest

from relief_stock.printing.manifest import render_manifest
from relief_stock.printing.picking import render_picking_list
from relief_stock.printing.receipt_note import render_receipt_note
from relief_stock.printing.units import english_plural, totals_by_unit
from tests.printing.conftest import decode, flat, page_texts, rasterise, sample_receipt, sample_transfer, worn


def grouped(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}"


@pytest.mark.parametrize("count", [1, 30, 300])
def test_manifest_paginates_repeats_header_and_totals_match(ctx, count):
    document = sample_transfer(count)
    pdf = render_manifest(document, "zh")
    texts = [flat(text) for text in page_texts(pdf)]
    total = len(texts)
    assert (total == 1) if count == 1 else (total >= 2 if count == 30 else total >= 10)
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页/共{total}页" in text
        assert "物资调拨单" in text and document.number in text
        assert "调出仓库" in text and "上城区红十字会备灾仓库" in text and "浙A·D12345" in text
        if "B-330100-" in text:  # a page with lines repeats the column heads
            assert "批次号" in text and "有效期至" in text
    every = "".join(texts)
    for line in document.lines:
        assert every.count(line.batch_code) == 1
    assert every.count("合计") == 1 and f"共{count}行" in every
    totals = texts[-1]
    assert grouped(document.total_weight_kg, 1) in totals and grouped(document.total_volume_m3, 3) in totals
    for text in totals_by_unit(document.lines, "zh"):  # "735 个" never adds tents to boxes
        assert flat(text) in totals
    if count == 1:
        assert f"{document.total_quantity:,}" in totals
    assert all(label in texts[-1] for label in ("发货保管员", "驾驶员", "收货保管员", "签字"))


def test_manifest_qr_scans_on_every_page(ctx):
    document = sample_transfer(60)
    for page in rasterise(render_manifest(document, "zh"), dpi=200):
        assert [r.text for r in decode(page)] == [document.url]
        assert [r.text for r in decode(worn(page))] == [document.url]


def test_manifest_in_english(ctx):
    document = sample_transfer(45, drill=True)
    texts = [flat(text) for text in page_texts(render_manifest(document, "en"))]
    total = len(texts)
    assert all(f"Page{n}of{total}" in text for n, text in enumerate(texts, start=1))
    assert "Dispatchmanifest" in texts[0] and "ShangchengDistrictReliefDepot" in texts[0]
    assert "DRILL" in texts[0] and "Issuingkeeper" in texts[-1]


def test_long_names_wrap_inside_their_cells(ctx):
    """A table cell grows in height instead of running into the next column: every item name shows whole."""
    document = sample_transfer(43)  # the whole catalogue, longest names included
    every = "".join(flat(text) for text in page_texts(render_manifest(document, "zh")))
    for line in document.lines:
        assert flat(line.item.name_zh) in every


def test_picking_list_is_sorted_by_location(ctx):
    document = sample_transfer(40)
    from dataclasses import replace

    from relief_stock.printing.data import Document

    ordered = sorted(document.lines, key=lambda line: line.location)
    assert isinstance(document, Document)
    pdf = render_picking_list(replace(document, lines=tuple(ordered)), "zh")
    text = "".join(flat(t) for t in page_texts(pdf))
    positions = [text.index(line.batch_code) for line in ordered]
    assert positions == sorted(positions)
    assert "拣货单" in text and "应拣数量" in text and "拣货人" in text


def test_receipt_note(ctx):
    document = sample_transfer(12)
    pdf = render_receipt_note(document, "zh", received_by="王建国")
    text = "".join(flat(t) for t in page_texts(pdf))
    assert "物资入库单" in text and "经办人：王建国" in text and "验收保管员" in text
    assert re.search(r"第1页/共1页", text)
    assert all(line.batch_code in text and line.expiry_date.isoformat() in text for line in document.lines)


def test_manifest_gives_the_driver_what_he_needs(ctx):
    document = sample_transfer(3)
    text = flat("".join(page_texts(render_manifest(document, "zh"))))
    assert "地址：浙江省杭州市上城区望江东路88号3号库" in text and "地址：杭州市上城区清江路45号" in text
    assert "联系人：王建国电话：0571-87654321" in text and "联系人：李明电话：13800001111" in text
    assert "浙A·D12345" in text and "张师傅" in text and "13900002222" in text
    assert "2026-11-2810:15" in text  # departure, in the depots' time zone (dispatched 02:15 UTC)
    assert "kg" in text and "m³" in text


def test_a_site_without_contact_gets_blanks_to_fill_in(ctx):
    from dataclasses import replace

    document = replace(
        sample_transfer(1), to_depot=None, to_site="城北小学安置点", to_site_position="30.3, 120.2"
    )
    text = flat(page_texts(render_manifest(document, "zh"))[0])
    assert (
        "城北小学安置点" in text and "位置：30.3,120.2" in text and "联系人：________电话：________" in text
    )


def test_english_documents_say_everything_in_english(ctx):
    manifest = flat("".join(page_texts(render_manifest(sample_transfer(3), "en"))))
    assert "Status:Intransit" in manifest and "在途" not in manifest
    assert "Contact:" in manifest and "Address:" in manifest
    note = flat("".join(page_texts(render_receipt_note(sample_receipt(3), "en", received_by="Wang"))))
    assert (
        "Donation·浙商爱心联盟" in note
        and "社会捐赠" not in note
        and "捐赠" not in note.replace("浙商爱心联盟", "")
    )
    zh_note = flat("".join(page_texts(render_receipt_note(sample_receipt(3), "zh", received_by="王"))))
    assert "Donation" not in zh_note


def test_plurals_and_totals_by_unit_in_english(ctx):
    document = sample_receipt(3)
    first, second, third = document.lines
    text = flat("".join(page_texts(render_receipt_note(document, "en"))))
    assert "Total:3lines" in text
    for line in (second, third):
        assert flat(f"{line.quantity} {english_plural(line.item.unit_en)}") in text
    one = flat("".join(page_texts(render_receipt_note(sample_receipt(1), "en"))))
    assert "Total:1line·" in one and flat(f"1 {first.item.unit_en}") in one and "1lines" not in one


@pytest.mark.parametrize(
    "unit, plural",
    [
        ("tent", "tents"),
        ("box", "boxes"),
        ("battery", "batteries"),
        ("sleeping bag", "sleeping bags"),
        ("pair", "pairs"),
        ("kit", "kits"),
    ],
)
def test_english_plural(unit, plural):
    assert english_plural(unit) == plural


def test_receipt_note_dates_are_the_labels_dates(ctx):
    text = flat(page_texts(render_receipt_note(sample_receipt(2), "zh"))[0])
    assert "入库时间：2026-11-27" in text and "录入时间：2026-11-2809:05" in text
