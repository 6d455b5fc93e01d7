"""Batch and location labels on every shipped layout: every QR decodes to exactly its URL at 200 dpi,
and still after a blur and a 50 % downscale; the text a keeper reads is in the PDF; start positions,
copies and bad requests behave."""

import pytest

from relief_stock.errors import BadInput
from relief_stock.printing.labels import render_labels
from relief_stock.printing.layouts import get_layout, layouts
from tests.printing.conftest import decode, flat, page_texts, rasterise, sample_labels, sample_locations, worn

ALL = [pytest.param(layout, id=layout.name) for layout in layouts()]


def labels_for(layout):
    count = 2 if layout.is_thermal else layout.per_page + 2  # a full sheet and the start of the next
    return sample_labels(count) if layout.kind == "batch" else sample_locations(count)


@pytest.mark.parametrize("layout", ALL)
def test_every_qr_decodes_to_its_url_at_200_dpi_and_when_worn(ctx, layout):
    labels = labels_for(layout)
    pdf = render_labels(layout, labels)
    pages = rasterise(pdf, dpi=200)
    assert len(pages) == (len(labels) if layout.is_thermal else 2)
    found_sharp, found_worn = [], []
    for page in pages:
        found_sharp += [result.text for result in decode(page)]
        found_worn += [result.text for result in decode(worn(page))]
    expected = sorted(label.url for label in labels)
    assert sorted(found_sharp) == expected
    assert sorted(found_worn) == expected


@pytest.mark.parametrize("layout", [p for p in ALL if p.values[0].kind == "batch"])
def test_text_has_names_codes_expiry_and_donor(ctx, layout):
    labels = sample_labels(2 if layout.is_thermal else 3)
    text = flat("".join(page_texts(render_labels(layout, labels))))
    for label in labels:
        assert label.code in text
        assert label.expiry_date.isoformat() in text
        assert label.item.name_zh[:6] in text  # the start always shows; the rest wraps or is cut
    assert "有效期" in text
    assert "捐赠" in text


def test_english_captions(ctx):
    layout = get_layout("a4-2x5")
    text = flat(page_texts(render_labels(layout, sample_labels(1), lang="en"))[0])
    assert "EXP2028" in text and "Received" in text and "Donor" in text


def test_start_position_skips_used_labels_and_copies_repeat(ctx):
    layout = get_layout("a4-3x8")
    labels = sample_labels(2)
    (page,) = rasterise(render_labels(layout, labels, start=23, copies=1))
    results = sorted(decode(page), key=lambda r: (r.position.top_left.y // 100, r.position.top_left.x))
    # Positions 23 and 24 are the last row's second and third labels.
    assert [r.text for r in results] == [labels[0].url, labels[1].url]
    assert all(r.position.top_left.y > page.height * 7 / 8 for r in results)
    assert min(r.position.top_left.x for r in results) > page.width / 3
    pages = rasterise(render_labels(layout, labels, start=24, copies=3))
    assert len(pages) == 2
    assert [r.text for r in decode(pages[0])] == [labels[0].url]
    assert sorted(r.text for r in decode(pages[1])) == sorted([labels[0].url] * 2 + [labels[1].url] * 3)


@pytest.mark.parametrize("options", [{"start": 0}, {"start": 25}, {"copies": 0}, {"copies": 101}])
def test_bad_options_are_refused(ctx, options):
    layout = get_layout("a4-3x8")
    with pytest.raises(BadInput):
        render_labels(layout, sample_labels(1), **options)


def test_nothing_to_print_is_refused(ctx):
    with pytest.raises(BadInput):
        render_labels(layouts("batch")[0], [])


def test_chinese_font_is_embedded(ctx):
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(render_labels(layouts("batch")[0], sample_labels(1))))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    noto = [font.get_object() for font in fonts.values() if "NotoSans" in str(font.get_object()["/BaseFont"])]
    assert noto and all(font["/Subtype"] == "/TrueType" for font in noto)
    assert all("/FontFile2" in font["/FontDescriptor"].get_object() for font in noto)  # embedded
