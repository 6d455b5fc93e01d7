"""The fonts every printout uses, and fitting text into a box (shrink, then wrap, then ellipsis).

Chinese must print on a machine with no Chinese fonts installed, so the project ships its own:
fonts/NotoSansSC-{Regular,Bold}.ttf, a subset of Noto Sans CJK SC (SIL OFL 1.1, see fonts/OFL.txt)
converted to TrueType outlines by scripts/build_cjk_font.py (reportlab embeds TrueType only). It
covers ASCII, GB2312 and every character of the catalogue, depot names and UI, in one face for Chinese
and Latin alike, so mixed lines need no font switching. The same files feed Pillow when thermal
output renders text as bitmaps.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "NotoSansSC"
BOLD = "NotoSansSC-Bold"
FONT_FILES = {REGULAR: FONT_DIR / "NotoSansSC-Regular.ttf", BOLD: FONT_DIR / "NotoSansSC-Bold.ttf"}
LEADING = 1.18  # line height as a multiple of the font size: CJK glyphs fill the em box
ELLIPSIS = "…"


def register_fonts() -> None:
    """Register both faces with reportlab once per process (parsing a 2 MB font costs ~0.1 s)."""
    for name, path in FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))


def face(bold: bool) -> str:
    register_fonts()
    return BOLD if bold else REGULAR


@lru_cache(maxsize=65536)
def _unit_width(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(text, font, 1.0)


def text_width(text: str, font: str, size: float) -> float:
    """Width in points; cached per string at size 1, since labels repeat the same words."""
    return _unit_width(text, font) * size


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def tokens(text: str) -> list[str]:
    """Break opportunities: every CJK character stands alone, Latin words stay whole with their
    trailing space, so 'Family tent 16 m2' wraps between words and '家庭帐篷' between characters."""
    found, word = [], ""
    for char in text:
        if _is_wide(char):
            if word:
                found.append(word)
                word = ""
            found.append(char)
        else:
            word += char
            if char == " ":
                found.append(word)
                word = ""
    if word:
        found.append(word)
    return found


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line filling; a word wider than the box is split between characters.

    Widths are sums of cached token widths: reportlab measures TrueType text as the sum of glyph
    advances (no kerning), so the sum is exact and no line is measured twice."""
    limit = width / size
    lines, line, line_width = [], "", 0.0
    for token in tokens(text):
        bare = token.rstrip()
        if line_width + _unit_width(bare, font) <= limit:
            line += token
            line_width += _unit_width(token, font)
            continue
        if line.strip():
            lines.append(line.rstrip())
        while _unit_width(bare, font) > limit and len(bare) > 1:
            cut = _longest_prefix(bare, font, size, width)
            lines.append(bare[:cut])
            bare, token = bare[cut:], token[cut:]
        line = token
        line_width = _unit_width(token, font)
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _longest_prefix(text: str, font: str, size: float, width: float) -> int:
    cut = 1
    while cut < len(text) and text_width(text[: cut + 1], font, size) <= width:
        cut += 1
    return cut


@dataclass(frozen=True)
class Fitted:
    lines: tuple[str, ...]
    size: float

    @property
    def leading(self) -> float:
        return self.size * LEADING


def fit(
    text: str, font: str, width: float, height: float, size_max: float, size_min: float, max_lines: int = 1
) -> Fitted:
    """The largest size (in 0.5 pt steps) at which `text` fits the box in at most `max_lines`;
    at `size_min`, lines that still do not fit are cut and the last ends with an ellipsis, so
    nothing ever spills out of its box (widths and heights in points)."""
    size = size_max
    if "\n" not in text and _unit_width(text, font) * size <= width and size * LEADING <= height + 1e-9:
        return Fitted((text,), size)  # the common case: one line at full size
    while True:
        allowed = max(1, min(max_lines, int(height // (size * LEADING) + 1e-9)))
        lines = wrap(text, font, size, width)
        if len(lines) <= allowed:
            return Fitted(tuple(lines), size)
        if size - 0.5 < size_min:
            return Fitted(
                tuple(lines[: allowed - 1]) + (_ellipsize(lines[allowed - 1], font, size, width),), size
            )
        size -= 0.5


def _ellipsize(line: str, font: str, size: float, width: float) -> str:
    while line and text_width(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS
