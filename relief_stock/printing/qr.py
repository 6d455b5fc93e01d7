"""QR codes for printed codes: the module matrix, drawn as vector rectangles in PDFs.

Payloads are short absolute URLs (<PUBLIC_BASE_URL>/b/<code>, /l/<code>, /t/<code>, built by
scanning.codes.url_for_code) so that any phone camera opens the page and the scan box accepts them.
Error correction M (15 %) keeps a ~50 byte URL at version 4 (33 modules): on the 24.5 mm code of
the smallest label that is 0.66 mm a module, enough to survive a worn thermal head or a blurred
phone photo, where level H would push it to version 6 and shrink the modules by a quarter.
"""

from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import FILL_NON_ZERO

QUIET_MODULES = 4  # ISO/IEC 18004's quiet zone, kept white round the symbol inside the QR box


@lru_cache(maxsize=4096)
def matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The symbol's dark modules, row by row, without quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def runs(row: tuple[bool, ...]) -> list[tuple[int, int]]:
    """(start, length) of each horizontal run of dark modules: one rectangle per run instead of
    one per module, which keeps the PDF small and fast to render."""
    found, start = [], None
    for index, dark in enumerate(row + (False,)):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            found.append((start, index - start))
            start = None
    return found


def module_size(payload: str, box: float) -> float:
    """Size of one module when the symbol and its quiet zone fill a square `box`."""
    return box / (len(matrix(payload)) + 2 * QUIET_MODULES)


def draw(canvas, payload: str, x: float, y: float, box: float) -> None:
    """Draw the QR code for `payload` in the square with bottom-left (x, y) and side `box` (points)."""
    module = module_size(payload, box)
    draw_symbol(canvas, payload, x + QUIET_MODULES * module, y + box - QUIET_MODULES * module, module)


@lru_cache(maxsize=4096)
def symbol_rects(payload: str) -> tuple[tuple[int, float, int, float], ...]:
    """The symbol as rectangles (x, y from the top, width, height) in modules: one per horizontal
    run of dark modules, plus a half-module bridge over each boundary between two dark rows, so
    viewers that anti-alias each edge draw no hairline seams inside the symbol (overlapping the
    runs themselves would darken the light modules next to them)."""
    rows = matrix(payload)
    rects = [(start, r, length, 1.0) for r, row in enumerate(rows) for start, length in runs(row)]
    for r in range(len(rows) - 1):
        both = tuple(a and b for a, b in zip(rows[r], rows[r + 1]))
        rects += [(start, r + 0.75, length, 0.5) for start, length in runs(both)]
    return tuple(rects)


def draw_symbol(canvas, payload: str, left: float, top: float, module: float) -> None:
    """Draw the symbol alone, its top-left corner at (left, top), modules `module` points wide."""
    path = canvas.beginPath()
    for x, y, width, height in symbol_rects(payload):
        path.rect(left + x * module, top - (y + height) * module, width * module, height * module)
    canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)  # even-odd would cut the overlaps
