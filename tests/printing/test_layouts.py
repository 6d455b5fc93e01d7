"""Layouts are data: every shipped file loads, a new file is picked up without code, and a layout
that would print off its label or page is refused with the reason."""

import pytest
from reportlab.lib.units import mm

from relief_stock.errors import BadInput, NotFound
from relief_stock.printing import layouts as layouts_module
from relief_stock.printing.fonts import LEADING, WORD_JOINER, face, fit, text_width, wrap
from relief_stock.printing.layouts import get_layout, layouts, parse_layout
from tests.printing.conftest import catalogue_items, sample_labels

GOOD = {
    "title_zh": "测试",
    "title_en": "Test",
    "kind": "batch",
    "media": "thermal",
    "page": {"width_mm": 50, "height_mm": 30},
    "label": {"width_mm": 50, "height_mm": 30},
    "qr": {"x_mm": 1, "y_mm": 1, "size_mm": 20},
    "text": [
        {"field": "code", "x_mm": 22, "y_mm": 2, "width_mm": 26, "height_mm": 5, "size_max": 8, "size_min": 5}
    ],
}


def test_shipped_layouts():
    names = {layout.name for layout in layouts()}
    assert {"a4-3x8", "a4-2x5", "thermal-100x150", "thermal-60x40"} <= names
    assert {layout.kind for layout in layouts("location")} == {"location"}
    a4 = get_layout("a4-3x8")
    assert (a4.columns, a4.rows, a4.label_w_mm, a4.label_h_mm, a4.per_page) == (3, 8, 70, 37, 24)
    assert get_layout("a4-2x5").per_page == 10
    assert get_layout("thermal-60x40").is_thermal


def test_unknown_layout_names_the_choices():
    with pytest.raises(NotFound, match="a4-3x8"):
        get_layout("a4-4x10")
    with pytest.raises(NotFound):
        get_layout("location-a4-3x8", kind="batch")


def test_a_new_file_is_a_new_layout(tmp_path):
    (tmp_path / "tiny-50x30.toml").write_text(
        """
title_zh = "小标签"
title_en = "Tiny"
kind = "batch"
media = "thermal"
page = { width_mm = 50, height_mm = 30 }
label = { width_mm = 50, height_mm = 30 }
qr = { x_mm = 1, y_mm = 1, size_mm = 20 }
[[text]]
field = "code"
x_mm = 22
y_mm = 2
width_mm = 26
height_mm = 5
size_max = 8
size_min = 5
""",
        encoding="utf-8",
    )
    found = layouts_module._all_layouts(tmp_path)
    assert list(found) == ["tiny-50x30"] and found["tiny-50x30"].texts[0].field == "code"


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"qr": {"x_mm": 40, "y_mm": 1, "size_mm": 20}}, "qr lies outside"),
        ({"kind": "pallet"}, "kind must be"),
        ({"page": {"width_mm": 40, "height_mm": 30}}, "grid does not fit"),
        ({"text": [{**GOOD["text"][0], "size_min": 9}]}, "sizes"),
        ({"text": [{**GOOD["text"][0], "colour": "red"}]}, "unknown setting"),
        ({"label": {"width_mm": 50}}, "missing"),
    ],
)
def test_bad_layouts_are_refused_with_the_reason(change, reason):
    with pytest.raises(BadInput, match=reason):
        parse_layout("bad", {**GOOD, **change})


def test_wrap_breaks_chinese_anywhere_and_english_between_words():
    font = face(False)
    assert wrap("家庭帐篷标准", font, 10, text_width("家庭帐", font, 10) + 0.1) == ["家庭帐", "篷标准"]
    assert wrap("Family tent 16 m2", font, 10, text_width("Family tent", font, 10) + 0.1) == [
        "Family tent",
        "16 m2",
    ]


@pytest.mark.parametrize("layout", [pytest.param(layout, id=layout.name) for layout in layouts("batch")])
def test_longest_catalogue_names_fit_every_box(ctx, layout):
    """No line is wider than its box and no block taller, for every item name we ship."""
    texts = {box.field: [] for box in layout.texts}
    for label in sample_labels(4):
        for name, value in label.fields("zh").items():
            texts.setdefault(name, []).append(value)
    for item in catalogue_items():
        texts["item_zh"].append(item.name_zh)
        texts["item_en"].append(item.name_en)
    for box in layout.texts:
        font = face(box.bold)
        width, height = box.width_mm * mm - (1.6 * mm if box.inverse else 0), box.height_mm * mm
        for text in texts[box.field]:
            fitted = fit(text, font, width, height, box.size_max, box.size_min, box.lines)
            assert box.size_min <= fitted.size <= box.size_max
            assert len(fitted.lines) <= box.lines
            assert len(fitted.lines) * fitted.size * LEADING <= height + 0.01, (box.field, text)
            assert all(text_width(line, font, fitted.size) <= width + 0.01 for line in fitted.lines), (
                box.field,
                text,
            )
            shown = "".join(fitted.lines).replace(" ", "").rstrip("…")
            assert shown in text.replace(" ", "").replace(WORD_JOINER, "")
