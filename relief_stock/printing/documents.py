"""The frame every printed document shares: A4 pages whose header repeats on every page (title,
number, QR code, parties, vehicle), a lines table whose column heads repeat, totals, signature boxes,
and "第 1 页 / 共 3 页" in the footer.

manifest.py, picking.py and receipt_note.py describe their header (HeaderSpec) and columns (Column)
and call `render_document`; nothing here knows which document it prints.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from flask_babel import to_user_timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from . import qr
from .fonts import face, fit

PAGE_W, PAGE_H = A4
MARGIN = 14 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
FOOTER_H = 12 * mm
GRID = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.92, 0.92, 0.92)


@dataclass
class HeaderSpec:
    title: str
    number: str
    qr_url: str
    qr_caption: str
    meta: list[str] = field(default_factory=list)  # short lines under the number: date, status
    parties: list[tuple[str, list[str]]] = field(default_factory=list)  # (caption, lines), side by side
    fields: list[tuple[str, str]] = field(default_factory=list)  # (caption, value or blank to fill in)
    banner: str | None = None  # e.g. 演练 DRILL, printed across the header

    @property
    def height(self) -> float:
        return 34 * mm + (27 * mm if self.parties else 0) + (11 * mm if self.fields else 0) + 3 * mm


@dataclass(frozen=True)
class Column:
    """A column of a printed table; reports that also go out as XLSX give it a spreadsheet width."""

    caption: str
    width_mm: float
    align: str = "LEFT"
    xlsx_width: int = 12  # characters


def local_text(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_user_timezone(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def number_text(value, places: int = 0) -> str:
    return "" if value is None else f"{value:,.{places}f}"


def _fitted(canvas, text, x, top, width, height, size_max, size_min, lines=1, bold=False, align="left"):
    """Draw text fitted into a box (top-left at x, top), like the label renderer does."""
    if not text:
        return
    font = face(bold)
    fitted = fit(text, font, width, height, size_max, size_min, lines)
    canvas.setFont(font, fitted.size)
    y = top
    for line in fitted.lines:
        y -= fitted.leading
        baseline = y + (fitted.leading - fitted.size) / 2 + 0.12 * fitted.size
        if align == "right":
            canvas.drawRightString(x + width, baseline, line)
        else:
            canvas.drawString(x, baseline, line)


def draw_header(canvas: Canvas, spec: HeaderSpec) -> None:
    top = PAGE_H - MARGIN
    qr_box = 30 * mm
    qr.draw(canvas, spec.qr_url, PAGE_W - MARGIN - qr_box, top - qr_box, qr_box)
    _fitted(
        canvas,
        spec.qr_caption,
        PAGE_W - MARGIN - qr_box - 52 * mm,
        top - 11 * mm,
        50 * mm,
        12 * mm,
        7.5,
        5.5,
        lines=3,
        align="right",
    )
    _fitted(canvas, spec.title, MARGIN, top, 110 * mm, 11 * mm, 20, 12, bold=True)
    _fitted(canvas, spec.number, MARGIN, top - 11 * mm, 110 * mm, 7 * mm, 13, 9, bold=True)
    y = top - 18.5 * mm
    for line in spec.meta[:3]:
        _fitted(canvas, line, MARGIN, y, 96 * mm, 4.5 * mm, 8.5, 6)
        y -= 4.5 * mm
    if spec.banner:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.75, 0, 0))
        _fitted(canvas, spec.banner, MARGIN + 70 * mm, top, 40 * mm, 9 * mm, 16, 10, bold=True)
        canvas.restoreState()
    y = top - 34 * mm
    if spec.parties:
        gap = 4 * mm
        width = (CONTENT_W - gap * (len(spec.parties) - 1)) / len(spec.parties)
        for index, (caption, lines) in enumerate(spec.parties):
            x = MARGIN + index * (width + gap)
            canvas.setStrokeColor(GRID)
            canvas.rect(x, y - 25 * mm, width, 25 * mm, stroke=1, fill=0)
            _fitted(canvas, caption, x + 2 * mm, y - 1 * mm, width - 4 * mm, 4.5 * mm, 7.5, 6, bold=True)
            _fitted(
                canvas,
                lines[0] if lines else "",
                x + 2 * mm,
                y - 5.5 * mm,
                width - 4 * mm,
                9 * mm,
                10,
                7,
                lines=2,
                bold=True,
            )
            _fitted(
                canvas,
                " ".join(lines[1:2]),
                x + 2 * mm,
                y - 14.5 * mm,
                width - 4 * mm,
                6 * mm,
                7.5,
                5.5,
                lines=2,
            )
            _fitted(canvas, " ".join(lines[2:]), x + 2 * mm, y - 20.5 * mm, width - 4 * mm, 4 * mm, 7.5, 5.5)
        y -= 27 * mm
    if spec.fields:
        width = CONTENT_W / len(spec.fields)
        for index, (caption, value) in enumerate(spec.fields):
            x = MARGIN + index * width
            _fitted(canvas, caption, x, y, width - 3 * mm, 4 * mm, 7, 5.5, bold=True)
            _fitted(canvas, value, x, y - 4 * mm, width - 3 * mm, 5.5 * mm, 9.5, 6.5)
            canvas.setStrokeColor(GRID)
            canvas.line(x, y - 10 * mm, x + width - 3 * mm, y - 10 * mm)  # a line to write on when blank


def make_numbered_canvas(printed_at: str):
    """A canvas class that holds pages back until the end, so each can say how many there are."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                super().showPage()
            super().save()

        def _draw_footer(self, number: int, total: int):
            text = _("Page %(number)d of %(total)d", number=number, total=total)
            self.setFont(face(False), 8)
            self.setFillColor(colors.black)
            self.drawRightString(PAGE_W - MARGIN, MARGIN - 4 * mm, text)
            self.drawString(MARGIN, MARGIN - 4 * mm, printed_at)

    return NumberedCanvas


def _style(size: float, bold: bool = False, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(
        f"cell-{size}-{bold}-{align}",
        fontName=face(bold),
        fontSize=size,
        leading=size * 1.2,
        wordWrap="CJK",
        alignment=align,
    )


def cell(text, size: float = 8, bold: bool = False, align: str = "LEFT") -> Paragraph:
    """A table cell that wraps mixed Chinese/English text inside its column, never past it."""
    return Paragraph(escape(str(text or "")), _style(size, bold, {"LEFT": 0, "CENTER": 1, "RIGHT": 2}[align]))


def two_line_cell(main: str, sub: str, size: float = 8) -> Paragraph:
    """A main line and a smaller grey second line (the other language, the SKU)."""
    return Paragraph(
        f"{escape(main)}<br/><font size={size - 1.5} color='#555555'>{escape(sub)}</font>", _style(size)
    )


TABLE_STYLE = [
    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 1.6),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
    ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
]


def lines_table(columns: list[Column], rows: list[list]) -> LongTable:
    """The lines, with the column heads repeated at the top of every page."""
    head = [cell(column.caption, 7.5, bold=True, align=column.align) for column in columns]
    body = [
        [
            value if isinstance(value, Paragraph) else cell(value, align=column.align)
            for value, column in zip(row, columns)
        ]
        for row in rows
    ]
    table = LongTable([head] + body, colWidths=[c.width_mm * mm for c in columns], repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE + [("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
    return table


def totals_table(columns: list[Column], values: list) -> Table:
    """A shaded totals row aligned with the lines table's columns."""
    table = Table(
        [[cell(v, 8, bold=True, align=c.align) for v, c in zip(values, columns)]],
        colWidths=[c.width_mm * mm for c in columns],
    )
    table.setStyle(TableStyle(TABLE_STYLE + [("BACKGROUND", (0, 0), (-1, -1), SHADE)]))
    return table


def signature_table(captions: list[str]) -> Table:
    """Boxes to sign and date by hand."""
    width = CONTENT_W / len(captions)
    sign, day = _("Signature"), _("Date")
    cells = [
        [cell(caption, 8.5, bold=True) for caption in captions],
        [cell(f"{sign}：", 8) for _caption in captions],
        [cell(f"{day}：", 8) for _caption in captions],
    ]
    table = Table(cells, colWidths=[width] * len(captions), rowHeights=[7 * mm, 13 * mm, 8 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                ("LINEBEFORE", (1, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def closing(totals: Table | None, notes: str | None, signatures: list[str]) -> KeepTogether:
    """Totals, notes and signature boxes kept together, so the signatures never sit on a page
    without the totals they sign for."""
    parts = [totals] if totals is not None else []
    if notes:
        parts += [Spacer(1, 2 * mm), paragraph(notes)]
    parts += [Spacer(1, 6 * mm), signature_table(signatures)]
    return KeepTogether(parts)


def paragraph(text: str, size: float = 8.5, bold: bool = False) -> Paragraph:
    return cell(text, size, bold)


def render_document(spec: HeaderSpec, story: list, *, author: str = "relief-stock") -> bytes:
    """Lay `story` out under the repeating header; returns the PDF (call inside force_locale)."""
    buffer = io.BytesIO()
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_H - 6 * mm,
        CONTENT_W,
        PAGE_H - 2 * MARGIN - spec.height - FOOTER_H + 6 * mm,
        id="lines",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{spec.title} {spec.number}",
        author=author,
        creator="relief-stock",
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=lambda canvas, _doc: draw_header(canvas, spec))]
    )
    printed = _("Printed %(when)s", when=local_text(datetime.now().astimezone()))
    doc.build(story, canvasmaker=make_numbered_canvas(printed))
    return buffer.getvalue()
