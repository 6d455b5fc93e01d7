"""ZPL and TSPL for the thermal layouts: label size in dots from the layout, a native QR command with
the exact URL, every text field as a bitmap inside the label (no printer font needed for Chinese).
The interpreters in printers.py rebuild each label as the printer would, and it must decode."""

import re

import pytest

from relief_stock.errors import BadInput
from relief_stock.printing.layouts import get_layout, layouts
from relief_stock.printing.thermal import dots, render_tspl, render_zpl
from tests.printing.conftest import decode, sample_labels, sample_locations, worn
from tests.printing.printers import tspl_labels, z64_decode, zpl_labels

THERMAL = [pytest.param(layout, id=layout.name) for layout in layouts() if layout.is_thermal]


def labels_for(layout, count=2):
    return sample_labels(count) if layout.kind == "batch" else sample_locations(count)


@pytest.mark.parametrize("layout", THERMAL)
def test_zpl_structure_and_labels_scan(ctx, layout):
    labels = labels_for(layout)
    zpl = render_zpl(layout, labels, copies=3)
    assert zpl.isascii()  # Chinese travels as bitmaps, never as raw text the printer cannot draw
    assert "^GFA" in zpl and re.fullmatch(
        r"(\^GFA,\d+,\d+,\d+,:Z64:[A-Za-z0-9+/=]+:[0-9A-F]{4})*", "".join(re.findall(r"\^GFA[^^]*", zpl))
    )  # every graphic compressed
    width, height = dots(layout.label_w_mm, layout.dpi), dots(layout.label_h_mm, layout.dpi)
    assert zpl.count("^XA") == zpl.count("^XZ") == len(labels)
    assert zpl.count(f"^PW{width}\n^LL{height}") == len(labels) and zpl.count("^PQ3\n") == len(labels)
    assert re.findall(r"\^FDMA,(.+?)\^FS", zpl) == [label.url for label in labels]
    fields_per_label = sum(1 for box in layout.texts if labels[0].fields("zh").get(box.field))
    assert zpl.count("^GFA") >= len(labels) * (fields_per_label - 1)
    for label, image in zip(labels, zpl_labels(zpl)):
        assert [r.text for r in decode(image)] == [label.url]
        assert [r.text for r in decode(worn(image))] == [label.url]


@pytest.mark.parametrize("layout", THERMAL)
def test_tspl_structure_and_labels_scan(ctx, layout):
    labels = labels_for(layout)
    tspl = render_tspl(layout, labels, copies=2)
    head = tspl.split(b"CLS\r\n")[0].decode()
    assert f"SIZE {layout.label_w_mm:g} mm,{layout.label_h_mm:g} mm" in head
    assert f"GAP {layout.gap_mm:g} mm,0 mm" in head and "CODEPAGE UTF-8" in head
    assert tspl.count(b"PRINT 1,2\r\n") == len(labels)
    urls = re.findall(rb'QRCODE \d+,\d+,M,\d+,A,0,M2,"(.+?)"', tspl)
    assert urls == [label.url.encode() for label in labels]
    width, height = dots(layout.label_w_mm, layout.dpi), dots(layout.label_h_mm, layout.dpi)
    for label, image in zip(labels, tspl_labels(tspl, width, height)):
        assert [r.text for r in decode(image)] == [label.url]


def test_chinese_is_drawn_not_sent_as_text(ctx):
    layout = get_layout("thermal-60x40")
    label = sample_labels(1)[0]
    zpl = render_zpl(layout, [label])
    assert label.item.name_zh not in zpl and label.code not in zpl.replace(label.url, "")
    # The item name's bitmap holds ink: the field was drawn, in the box the layout gives it.
    box = next(b for b in layout.texts if b.field == "item_zh")
    x0, y0 = dots(box.x_mm, 203), dots(box.y_mm, 203)
    graphics = re.findall(r"\^FO(\d+),(\d+)\^GFA,\d+,\d+,\d+,(:Z64:[^^]+)", zpl)
    inside = [data for x, y, data in graphics if x0 <= int(x) < x0 + 20 and y0 <= int(y) < y0 + 20]
    assert len(inside) == 1 and set(z64_decode(inside[0])) - {0}


def test_sheet_layouts_have_no_thermal_output(ctx):
    with pytest.raises(BadInput):
        render_zpl(get_layout("a4-3x8"), sample_labels(1))
    with pytest.raises(BadInput):
        render_tspl(get_layout("a4-3x8"), sample_labels(1))
