"""Batch and location labels as one PDF, for any layout in labels/ (step 7 of the flow, paper).

Sheets: labels fill the grid row by row from `start` (1-based, so a half-used sheet is not wasted),
each label `copies` times in a row. Thermal layouts: one label per page, the page the label's size.
Text is fitted into its box (fonts.fit): shrunk, wrapped, and only at the smallest size cut with an
ellipsis, so a long catalogue name never runs over the QR code or off the label.
"""

import io
from collections.abc import Sequence

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..errors import BadInput
from . import qr
from .fonts import face, fit, text_width
from .layouts import Layout, TextBox, dots

ASCENT = 0.88  # Noto Sans CJK's ideographic em box: 880 units above the baseline, 120 below
MAX_LABELS = 5000  # one request; a depot's largest receipt is far below this
INVERSE_PAD = 0.8 * mm


def placements(layout: Layout, count: int, start: int = 1) -> list[tuple[int, int]]:
    """(page, slot) for each of `count` labels, the first at position `start` of the first sheet."""
    if not 1 <= start <= layout.per_page:
        raise BadInput(_("The start position must be between 1 and %(n)d.", n=layout.per_page), field="start")
    first = start - 1
    return [divmod(first + index, layout.per_page) for index in range(count)]


def expand(labels: Sequence, copies: int) -> list:
    if not 1 <= copies <= 100:
        raise BadInput(_("Copies must be between 1 and 100."), field="copies")
    expanded = [label for label in labels for _ in range(copies)]
    if not expanded:
        raise BadInput(_("Choose at least one label to print."), field="batch_ids")
    if len(expanded) > MAX_LABELS:
        raise BadInput(_("At most %(n)d labels at once.", n=MAX_LABELS), field="copies")
    return expanded


def draw_text(canvas: Canvas, box: TextBox, text: str, left: float, top: float) -> None:
    """Draw `text` fitted into `box`, for a label whose top-left corner is (left, top) in points."""
    if not text:
        return
    font = face(box.bold)
    width, height = box.width_mm * mm, box.height_mm * mm
    inner = width - (2 * INVERSE_PAD if box.inverse else 0)
    fitted = fit(text, font, inner, height, box.size_max, box.size_min, box.lines)
    x0, y_top = left + box.x_mm * mm, top - box.y_mm * mm
    block = len(fitted.lines) * fitted.leading
    line_top = y_top - max(0.0, (height - block) / 2)
    canvas.setFont(font, fitted.size)
    if box.inverse:
        widest = max(text_width(line, font, fitted.size) for line in fitted.lines)
        canvas.rect(x0, y_top - height, min(width, widest + 2 * INVERSE_PAD), height, stroke=0, fill=1)
        canvas.setFillGray(1)
        x0 += INVERSE_PAD
    for line in fitted.lines:
        baseline = line_top - (fitted.leading - fitted.size) / 2 - ASCENT * fitted.size
        if box.align == "center":
            canvas.drawCentredString(x0 + inner / 2, baseline, line)
        elif box.align == "right":
            canvas.drawRightString(x0 + inner, baseline, line)
        else:
            canvas.drawString(x0, baseline, line)
        line_top -= fitted.leading
    if box.inverse:
        canvas.setFillGray(0)


def qr_geometry(layout: Layout, url: str) -> tuple[int, int, int]:
    """(x, y, module size) in dots of a thermal label's QR symbol: whole dots per module, as the
    printer draws it, inside the layout's QR box with the full quiet zone."""
    modules = len(qr.matrix(url)) + 2 * qr.QUIET_MODULES
    cell = max(1, min(10, dots(layout.qr_size_mm, layout.dpi) // modules))
    return (
        dots(layout.qr_x_mm, layout.dpi) + qr.QUIET_MODULES * cell,
        dots(layout.qr_y_mm, layout.dpi) + qr.QUIET_MODULES * cell,
        cell,
    )


def draw_label(canvas: Canvas, layout: Layout, fields: dict[str, str], url: str, left: float, top: float):
    if layout.is_thermal:
        # The PDF of a thermal label is the printer's picture of it: the same whole-dot modules.
        x, y, cell = qr_geometry(layout, url)
        dot = 72 / layout.dpi
        qr.draw_symbol(canvas, url, left + x * dot, top - y * dot, cell * dot)
    else:
        size = layout.qr_size_mm * mm
        qr.draw(canvas, url, left + layout.qr_x_mm * mm, top - layout.qr_y_mm * mm - size, size)
    for box in layout.texts:
        draw_text(canvas, box, fields.get(box.field, ""), left, top)


def render_labels(
    layout: Layout,
    labels: Sequence,
    *,
    lang: str = "zh",
    copies: int = 1,
    start: int = 1,
    title: str = "labels",
) -> bytes:
    """One PDF with every label of `labels` (BatchLabel or LocationLabel) on `layout`."""
    labels = expand(labels, copies)
    spots = placements(layout, len(labels), 1 if layout.is_thermal else start)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.page_w_mm * mm, layout.page_h_mm * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("relief-stock")
    page_height = layout.page_h_mm * mm
    current_page = spots[0][0]
    with force_locale(lang):
        for label, (page, slot) in zip(labels, spots):
            if page != current_page:
                canvas.showPage()
                current_page = page
            x, y = layout.slot_origin_mm(slot)
            draw_label(canvas, layout, label.fields(lang), label.url, x * mm, page_height - y * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
