"""The same labels for thermal printers: ZPL (Zebra and compatibles) and TSPL (TSC, Xprinter, Gprinter
and the other inexpensive printers common in Chinese depots).

Decision: text is sent as bitmaps (ZPL ^GFA, TSPL BITMAP) rendered from the project's own Noto Sans SC
with the same fitting as the PDF; only the QR code is a printer command (ZPL ^BQN, TSPL QRCODE), so
it prints at the head's full sharpness. Printer-resident CJK fonts differ by model and are often not
installed (Zebra sells them separately; TSPL's built-in fonts have no hanzi), so ^CI28 with a font
reference or TSPL TEXT would print boxes on many printers; bitmaps print identically everywhere.
Label size (^PW/^LL, SIZE) comes from the layout in dots at its resolution, so nothing is clipped.

Polarity differs and is where stray lines come from: in ZPL ^GF a 1 bit prints, in TSPL BITMAP a 0
bit prints. Rows are padded to whole bytes with bits that print nothing in each language (0 for ZPL,
1 for TSPL), and TSPL bitmaps are sent before the QR code, since BITMAP mode 0 overwrites what lies
under it. ZPL graphics travel zlib-compressed as :Z64: (base64 plus a CRC), a tenth of the hex size.
"""

import base64
import binascii
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps
from reportlab.lib.units import mm

from ..errors import BadInput
from .fonts import BOLD, FONT_FILES, REGULAR, face, fit
from .labels import ASCENT, INVERSE_PAD, expand, qr_geometry
from .layouts import Layout, TextBox, dots

__all__ = ["Bitmap", "dots", "qr_geometry", "render_tspl", "render_zpl", "text_bitmap"]


@dataclass(frozen=True)
class Bitmap:
    x: int  # dots from the label's left edge
    y: int  # dots from the label's top edge
    image: Image.Image  # mode "1": 0 = black dot


@lru_cache(maxsize=64)
def _pil_font(bold: bool, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILES[BOLD if bold else REGULAR]), size_px)


def text_bitmap(box: TextBox, text: str, dpi: int) -> Bitmap | None:
    """Render one text field fitted as in the PDF into a 1-bit image, cropped to its ink (None
    when nothing inks)."""
    if not text:
        return None
    scale = dpi / 72  # points -> dots
    width, height = box.width_mm * mm, box.height_mm * mm
    inner = width - (2 * INVERSE_PAD if box.inverse else 0)
    fitted = fit(text, face(box.bold), inner, height, box.size_max, box.size_min, box.lines)
    image = Image.new("L", (dots(box.width_mm, dpi), dots(box.height_mm, dpi)), 255)
    draw = ImageDraw.Draw(image)
    font = _pil_font(box.bold, fitted.size * scale)  # fractional pixel sizes, as the PDF has
    ink, x0 = 0, 0.0
    if box.inverse:
        widest = max(draw.textlength(line, font=font) for line in fitted.lines)
        draw.rectangle((0, 0, min(image.width, widest + 2 * INVERSE_PAD * scale), image.height), fill=0)
        ink, x0 = 255, INVERSE_PAD * scale
    line_top = max(0.0, (height - len(fitted.lines) * fitted.leading) / 2)
    for line in fitted.lines:
        baseline = (line_top + (fitted.leading - fitted.size) / 2 + ASCENT * fitted.size) * scale
        length = draw.textlength(line, font=font)
        x = {"left": x0, "center": x0 + (inner * scale - length) / 2, "right": x0 + inner * scale - length}[
            box.align
        ]
        draw.text((x, baseline), line, font=font, fill=ink, anchor="ls")
        line_top += fitted.leading
    bits = image.point(lambda v: 255 if v >= 128 else 0, "1")
    # Only the inked part travels: a third of the bytes, and white never overwrites a neighbour.
    inked = ImageOps.invert(image.point(lambda v: 255 if v >= 128 else 0)).getbbox()
    if inked is None:
        return None
    return Bitmap(dots(box.x_mm, dpi) + inked[0], dots(box.y_mm, dpi) + inked[1], bits.crop(inked))


def _label_parts(layout: Layout, label, lang: str) -> list[Bitmap]:
    fields = label.fields(lang)
    return [
        bitmap for box in layout.texts if (bitmap := text_bitmap(box, fields.get(box.field, ""), layout.dpi))
    ]


def _check_thermal(layout: Layout) -> None:
    if not layout.is_thermal:
        raise BadInput(
            _("Layout %(name)s is a sheet, not a thermal label.", name=layout.name), field="layout"
        )


def zpl_bytes(image: Image.Image) -> bytes:
    """Rows of a mode "1" image as ^GF wants them: 1 = black dot, rows padded with white 0 bits."""
    return Image.eval(image.convert("L"), lambda v: 255 - v).convert("1").tobytes()


def tspl_bytes(image: Image.Image) -> bytes:
    """Rows as TSPL BITMAP wants them: 0 = black dot, rows padded to whole bytes with white 1 bits
    (PIL pads mode "1" rows with 0 bits, which TSPL would print as a black bar)."""
    row_bytes = (image.width + 7) // 8
    padded = Image.new("1", (row_bytes * 8, image.height), 1)
    padded.paste(image, (0, 0))
    return padded.tobytes()


def z64(data: bytes) -> str:
    """ZPL's compressed graphic data: zlib, base64, and the CRC-16/CCITT of the base64 text."""
    encoded = base64.b64encode(zlib.compress(data, 9))
    return f":Z64:{encoded.decode()}:{binascii.crc_hqx(encoded, 0):04X}"


def _zpl_graphic(bitmap: Bitmap) -> str:
    row_bytes = (bitmap.image.width + 7) // 8
    data = zpl_bytes(bitmap.image)
    return f"^FO{bitmap.x},{bitmap.y}^GFA,{len(data)},{len(data)},{row_bytes},{z64(data)}^FS"


def render_zpl(layout: Layout, labels: Sequence, *, lang: str = "zh", copies: int = 1) -> str:
    """One ^XA...^XZ format per label, each printed `copies` times (^PQ)."""
    _check_thermal(layout)
    width, height = dots(layout.label_w_mm, layout.dpi), dots(layout.label_h_mm, layout.dpi)
    formats = []
    with force_locale(lang):
        for label in expand(labels, 1):
            x, y, cell = qr_geometry(layout, label.url)
            parts = [
                "^XA",
                "^CI28",
                f"^PW{width}",
                f"^LL{height}",
                "^LH0,0",
                f"^FO{x},{y}^BQN,2,{cell}^FDMA,{label.url}^FS",
            ]
            parts += [_zpl_graphic(bitmap) for bitmap in _label_parts(layout, label, lang)]
            parts += [f"^PQ{copies}", "^XZ"]
            formats.append("\n".join(parts))
    return "\n".join(formats) + "\n"


def render_tspl(layout: Layout, labels: Sequence, *, lang: str = "zh", copies: int = 1) -> bytes:
    """SIZE and GAP from the layout, then per label: CLS, QRCODE, one BITMAP per text field, PRINT."""
    _check_thermal(layout)
    out = [
        f"SIZE {layout.label_w_mm:g} mm,{layout.label_h_mm:g} mm\r\n".encode(),
        f"GAP {layout.gap_mm:g} mm,0 mm\r\n".encode(),
        b"DIRECTION 1\r\n",
        b"REFERENCE 0,0\r\n",
        b"CODEPAGE UTF-8\r\n",
    ]
    with force_locale(lang):
        for label in expand(labels, 1):
            out.append(b"CLS\r\n")
            for bitmap in _label_parts(layout, label, lang):
                row_bytes = (bitmap.image.width + 7) // 8
                out.append(
                    f"BITMAP {bitmap.x},{bitmap.y},{row_bytes},{bitmap.image.height},0,".encode()
                    + tspl_bytes(bitmap.image)
                    + b"\r\n"
                )
            x, y, cell = qr_geometry(layout, label.url)
            out.append(f'QRCODE {x},{y},M,{cell},A,0,M2,"{label.url}"\r\n'.encode())
            out.append(f"PRINT 1,{copies}\r\n".encode())
    return b"".join(out)
