"""QR codes for printed codes: the module matrix, drawn as vector rectangles in PDFs.

Payloads are short absolute URLs (<PUBLIC_BASE_URL>/b/<code>, /l/<code>, /t/<code>, built by
scanning.codes.url_for_code) so that any phone camera opens the page and the scan box accepts them.
Error correction M (15 %) keeps a ~50 byte URL at version 4 (33 modules): on the 24.5 mm code of
the smallest label that is 0.66 mm a module, enough to survive a worn thermal head or a blurred
phone photo, where level H would push it to version 6 and shrink the modules by a quarter.
"""

from functools import lru_cache

import numpy as np
import qrcode
import qrcode.util
from qrcode.constants import ERROR_CORRECT_M

QUIET_MODULES = 4  # ISO/IEC 18004's quiet zone, kept white round the symbol inside the QR box


@lru_cache(maxsize=4096)
def matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The symbol's dark modules, row by row, without quiet zone: qrcode encodes (Reed-Solomon)
    with mask 0 once, and the best of the eight masks by ISO/IEC 18004's penalty rules is chosen
    here, all eight scored at once with numpy (qrcode builds and scores them one by one in pure
    Python: about 70 % of the time of a label)."""
    symbols = candidates(payload)
    best = symbols[int(np.argmin(penalties(symbols)))]
    return tuple(tuple(row) for row in best.tolist())


def candidates(payload: str) -> np.ndarray:
    """The symbol under each of the eight masks (8 x size x size), format bits included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.best_fit()
    codewords = qrcode.util.create_data(code.version, code.error_correction, code.data_list)
    masks, format_at, formats, fixed, (rows, cols) = _symbol_layout(code.version)
    bits = np.unpackbits(np.array(codewords, dtype=np.uint8))[: len(rows)].astype(bool)
    plain = fixed.copy()
    plain[rows[: len(bits)], cols[: len(bits)]] = bits
    return np.where(format_at, formats, plain[np.newaxis] ^ masks)


def _placement(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each data bit in order: two-module columns zigzagging up and down from
    the bottom right, skipping the vertical timing pattern (qrcode's map_data, run once)."""
    size = len(data)
    rows, cols, row, step = [], [], size - 1, -1
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1
        while 0 <= row < size:
            for c in (col, col - 1):
                if data[row][c]:
                    rows.append(row)
                    cols.append(c)
            row += step
        row -= step
        step = -step
    return np.array(rows), np.array(cols)


@lru_cache(maxsize=41)
def _symbol_layout(version: int) -> tuple:
    """For one version: the eight mask patterns restricted to the data modules (everything no
    finder, timing, alignment, format or version pattern takes), where the format bits go and
    their value under each mask (8 x size x size), the function patterns' dark modules, and the
    placement order of the data bits."""
    scratch = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0)
    size = scratch.modules_count = version * 4 + 17
    scratch.modules = [[None] * size for _ in range(size)]
    for row, col in ((0, 0), (size - 7, 0), (0, size - 7)):
        scratch.setup_position_probe_pattern(row, col)
    scratch.setup_position_adjust_pattern()
    scratch.setup_timing_pattern()
    if version >= 7:
        scratch.setup_type_number(False)
    fixed = [row[:] for row in scratch.modules]
    formats = []
    for pattern in range(8):
        scratch.modules = [row[:] for row in fixed]
        scratch.setup_type_info(False, pattern)
        formats.append([[bool(cell) for cell in row] for row in scratch.modules])
    format_at = np.array([[cell is None for cell in row] for row in fixed]) & ~np.array(
        [[cell is None for cell in row] for row in scratch.modules]
    )
    data = np.array([[cell is None for cell in row] for row in scratch.modules])
    i, j = np.indices((size, size))
    patterns = np.array(
        [
            (i + j) % 2 == 0,
            i % 2 == 0,
            j % 3 == 0,
            (i + j) % 3 == 0,
            (i // 2 + j // 3) % 2 == 0,
            (i * j) % 2 + (i * j) % 3 == 0,
            ((i * j) % 2 + (i * j) % 3) % 2 == 0,
            ((i * j) % 3 + (i + j) % 2) % 2 == 0,
        ]
    )
    dark = np.array([[bool(cell) for cell in row] for row in fixed])
    return patterns & data, format_at, np.array(formats), dark, _placement(data)


_FINDER_LIKE = (
    np.array([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=bool),
    np.array([0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1], dtype=bool),
)


def penalties(symbols: np.ndarray) -> np.ndarray:
    """ISO/IEC 18004 section 7.8.3 for each of a stack of symbols: runs of 5+ alike, 2x2 blocks of
    one colour, finder-like patterns, and the balance of dark and light."""
    size = symbols.shape[1]
    score = np.zeros(len(symbols), dtype=np.int64)
    for grid in (symbols, symbols.transpose(0, 2, 1)):
        # N1: a run of 5 + k alike scores 3 + k: one per window of 5 alike in it, plus 2 per run.
        alike = grid[:, :, 1:] == grid[:, :, :-1]
        five = (
            alike[:, :, : size - 4] & alike[:, :, 1 : size - 3] & alike[:, :, 2 : size - 2] & alike[:, :, 3:]
        )
        run_starts = five & ~np.pad(alike, ((0, 0), (0, 0), (1, 0)))[:, :, : size - 4]
        score += five.sum(axis=(1, 2)) + 2 * run_starts.sum(axis=(1, 2))
        # N3: 1:1:3:1:1 with four light modules on one side scores 40.
        windows = np.lib.stride_tricks.sliding_window_view(grid, 11, axis=2)
        for pattern in _FINDER_LIKE:
            score += 40 * (windows == pattern).all(axis=3).sum(axis=(1, 2))
    # N2: every 2x2 block of one colour scores 3.
    blocks = (
        symbols[:, :-1, :-1].astype(np.int8) + symbols[:, 1:, :-1] + symbols[:, :-1, 1:] + symbols[:, 1:, 1:]
    )
    score += 3 * ((blocks == 0) | (blocks == 4)).sum(axis=(1, 2))
    # N4: 10 for every 5 % the dark share strays from 50 %.
    score += 10 * (np.abs(symbols.mean(axis=(1, 2)) * 100 - 50) // 5).astype(np.int64)
    return score


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


@lru_cache(maxsize=4096)
def symbol_path(payload: str) -> str:
    """The symbol's rectangles as PDF path operators in module units (y downwards), filled
    non-zero ("f"; even-odd would cut the overlaps). Built once per code, then a label costs one
    string instead of a few hundred reportlab rect calls."""
    parts = [f"{x:g} {y:g} {width:g} {height:g} re" for x, y, width, height in symbol_rects(payload)]
    return "\n".join(parts) + "\nf"


def draw_symbol(canvas, payload: str, left: float, top: float, module: float) -> None:
    """Draw the symbol alone, its top-left corner at (left, top), modules `module` points wide."""
    canvas.saveState()
    canvas.transform(module, 0, 0, -module, left, top)
    canvas.addLiteral(symbol_path(payload))
    canvas.restoreState()


def clear_caches() -> None:
    """Forget every symbol built (benchmarks measure a cold start)."""
    matrix.cache_clear()
    symbol_rects.cache_clear()
    symbol_path.cache_clear()
