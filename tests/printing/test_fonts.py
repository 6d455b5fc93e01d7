"""Every character a name is likely to use prints as itself, on PDF and thermal labels; text the
shipped fonts cannot draw is refused at entry, naming the character, and never reaches paper."""

import io
import uuid
from datetime import date

import numpy as np
import pytest
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from relief_stock.extensions import db
from relief_stock.printing.data import BatchLabel, LocationLabel
from relief_stock.printing.fonts import BOLD, REGULAR, covered, unprintable
from relief_stock.printing.labels import render_labels
from relief_stock.printing.layouts import dots, get_layout, layouts
from relief_stock.printing.thermal import text_bitmap
from relief_stock.stock.models import Receipt
from tests.printing.conftest import BASE, DEPOT, flat, longest_items, page_texts, rasterise

NAME_CHARACTERS = "喆堃镕昇赟珺玥璟祎彧瑄"  # outside GB2312, common in personal and company names
LOCATION_NAME = "王喆、李玥捐赠物资暂存区（堃鑫公司）"
DONOR = "赵昇、钱镕、孙赟、周珺、吴璟、郑祎、冯彧、陈瑄"
NOT_IN_ANY_FONT = "㐀"  # CJK extension A, outside GBK


def test_the_fonts_cover_every_gbk_hanzi_and_the_names_above(ctx):
    gbk = set()
    for high in range(0x81, 0xFF):
        for low in range(0x40, 0xFF):
            try:
                gbk.add(bytes((high, low)).decode("gbk"))
            except UnicodeDecodeError:
                pass
    hanzi = {char for char in gbk if 0x4E00 <= ord(char) <= 0x9FFF}
    assert len(hanzi) == 20902
    assert not [char for char in hanzi if ord(char) not in covered()]
    assert unprintable(NAME_CHARACTERS + LOCATION_NAME + DONOR) == []
    assert unprintable(f"A{NOT_IN_ANY_FONT}b😀{NOT_IN_ANY_FONT}\n") == [NOT_IN_ANY_FONT, "😀"]


def ink(image) -> np.ndarray:
    return np.array(image.convert("L")) < 128


@pytest.mark.parametrize("bold", [False, True], ids=["regular", "bold"])
def test_each_name_character_draws_its_own_glyph_not_the_empty_box(ctx, bold):
    """A missing glyph renders as .notdef, the same box for every character: each of ours must
    differ from that box and from each other, in the PDF and in the thermal bitmap alike."""
    box = next(b for b in get_layout("thermal-100x150").texts if b.field == "item_zh")
    box = type(box)(**{**box.__dict__, "bold": bold})

    def drawn(char):
        """The field as printed: the (ink-cropped) bitmap put back in place in its box."""
        bitmap = text_bitmap(box, char, 203)
        canvas = Image.new("L", (dots(box.width_mm, 203), dots(box.height_mm, 203)), 255)
        canvas.paste(
            bitmap.image.convert("L"), (bitmap.x - dots(box.x_mm, 203), bitmap.y - dots(box.y_mm, 203))
        )
        return ink(canvas)

    missing = drawn(NOT_IN_ANY_FONT)
    pictures = [drawn(char) for char in NAME_CHARACTERS]
    for char, picture in zip(NAME_CHARACTERS, pictures):
        assert picture.any() and (picture != missing).sum() > 50, f"{char} prints as a box"
    assert len({picture.tobytes() for picture in pictures}) == len(NAME_CHARACTERS)

    def pdf_glyph(char):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(20 * mm, 20 * mm))
        canvas.setFont(BOLD if bold else REGULAR, 40)
        canvas.drawString(2 * mm, 5 * mm, char)
        canvas.save()
        return ink(rasterise(buffer.getvalue(), dpi=150)[0])

    box_picture = pdf_glyph(NOT_IN_ANY_FONT)
    for char in NAME_CHARACTERS:
        assert (pdf_glyph(char) != box_picture).sum() > 50, f"{char} prints as a box in the PDF"


@pytest.mark.parametrize("layout", [pytest.param(layout, id=layout.name) for layout in layouts()])
def test_labels_print_names_outside_gb2312(ctx, layout):
    if layout.kind == "location":
        labels = [LocationLabel("L-330100-A-01-X", f"{BASE}/l/L-330100-A-01-X", "A-01", LOCATION_NAME, DEPOT)]
    else:
        labels = [
            BatchLabel(
                "B-330100-2026-000001-7",
                f"{BASE}/b/B-330100-2026-000001-7",
                longest_items()[0],
                12,
                DEPOT,
                date(2026, 11, 28),
                date(2028, 1, 1),
                donor=DONOR,
                location="A-01",
            )
        ]
    text = flat("".join(page_texts(render_labels(layout, labels))))
    expected = LOCATION_NAME if layout.kind == "location" else DONOR
    # Every name character is in the PDF's text (as drawn glyphs, mapped back by the embedded font).
    assert set(expected) & set(NAME_CHARACTERS) <= set(text)


def test_a_name_outside_the_fonts_is_refused_at_entry_naming_the_character(client, world, login_as):
    login_as("keeper")
    url = "/api/v1/depots/330102/locations"
    refused = client.post(url, json={"code": "D-01", "name": f"临时{NOT_IN_ANY_FONT}区"})
    assert refused.status_code == 422
    assert "U+3400" in str(refused.json) and NOT_IN_ANY_FONT in str(refused.json)
    assert client.get(url).json == []  # nothing half-written
    page = client.post(
        "/depots/330102/receive",
        data={
            "form_token": str(uuid.uuid4()),
            "source_kind": "donation",
            "supplier": "王😀",
            "lines-0-item": "QUILT",
            "lines-0-quantity": "3",
        },
    )
    assert page.status_code == 422 and "U+1F600" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(Receipt)) is None
    accepted = client.post(url, json={"code": "D-01", "name": LOCATION_NAME})
    assert accepted.status_code == 201
    labels = client.get("/print/depots/330102/locations/labels?layout=location-thermal-100x50")
    assert LOCATION_NAME in flat("".join(page_texts(labels.data)))
