"""The thermal printer prints what the PDF shows: each label's ZPL and TSPL, rasterised by the
interpreters in printers.py, equals the PDF of the same label rendered at the printer's resolution,
dot for dot within a 1-dot allowance for glyph edges.

Stray ink is what the allowance must never hide: the bars and hairlines that bytes padded with the
wrong bit print down the side of a text box are straight lines as high as the box (4 to 20 mm),
while two rasterisers disagreeing on a glyph edge leave scattered dots and short stroke edges.
"""

import numpy as np
import pytest
from PIL import Image

from relief_stock.printing.labels import render_labels
from relief_stock.printing.layouts import dots, layouts
from relief_stock.printing.thermal import render_tspl, render_zpl
from tests.printing.conftest import rasterise, sample_labels, sample_locations
from tests.printing.printers import binary, stray_dots, tspl_labels, zpl_labels

THERMAL = [pytest.param(layout, id=layout.name) for layout in layouts() if layout.is_thermal]
MAX_STRAY_DOTS = 300  # per label; glyph-edge disagreements measure 4-190
MAX_STRAY_LINE_MM = 5  # the shortest text box is 4 mm high; no stray straight line comes near it


def longest_line(mask: np.ndarray) -> int:
    """The longest horizontal or vertical run of True."""
    best = 0
    for grid in (mask, mask.T):
        padded = np.pad(grid, ((0, 0), (1, 1))).astype(np.int8)
        edges = np.diff(padded, axis=1)  # runs start at +1 and end at -1, row by row in order
        starts, ends = np.nonzero(edges == 1)[1], np.nonzero(edges == -1)[1]
        if len(starts):
            best = max(best, int((ends - starts).max()))
    return best


def pdf_pictures(layout, labels) -> list[Image.Image]:
    width, height = dots(layout.label_w_mm, layout.dpi), dots(layout.label_h_mm, layout.dpi)
    pictures = []
    for page in rasterise(render_labels(layout, labels), dpi=layout.dpi):
        canvas = Image.new("L", (width, height), 255)
        canvas.paste(binary(page), (0, 0))
        pictures.append(canvas)
    return pictures


def printed(layout, labels, language: str) -> list[Image.Image]:
    if language == "zpl":
        return zpl_labels(render_zpl(layout, labels))
    width, height = dots(layout.label_w_mm, layout.dpi), dots(layout.label_h_mm, layout.dpi)
    return tspl_labels(render_tspl(layout, labels), width, height)


def assert_same_picture(layout, print_image: Image.Image, pdf_image: Image.Image) -> None:
    stray = np.array(stray_dots(print_image, pdf_image)) > 0
    assert stray.sum() <= MAX_STRAY_DOTS, f"{stray.sum()} dots differ from the PDF"
    line = longest_line(stray)
    assert line < dots(MAX_STRAY_LINE_MM, layout.dpi), f"a stray line {line} dots long"


def sample(layout):
    return sample_labels(6) if layout.kind == "batch" else sample_locations(3)


@pytest.mark.parametrize("language", ["zpl", "tspl"])
@pytest.mark.parametrize("layout", THERMAL)
def test_printer_commands_print_the_pdf_dot_for_dot(ctx, layout, language):
    labels = sample(layout)
    pictures = printed(layout, labels, language)
    references = pdf_pictures(layout, labels)
    assert len(pictures) == len(references) == len(labels)
    for picture, reference in zip(pictures, references):
        assert_same_picture(layout, picture, reference)


def test_the_comparison_catches_rows_padded_with_black(ctx, monkeypatch):
    """PIL pads mode "1" rows with 0 bits, which TSPL prints: the test must see that bar."""
    layout = next(p.values[0] for p in THERMAL if p.values[0].name == "thermal-60x40")
    labels = sample_labels(1)
    monkeypatch.setattr("relief_stock.printing.thermal.tspl_bytes", lambda image: image.tobytes())
    (picture,) = printed(layout, labels, "tspl")
    (reference,) = pdf_pictures(layout, labels)
    with pytest.raises(AssertionError, match="stray line|differ"):
        assert_same_picture(layout, picture, reference)
