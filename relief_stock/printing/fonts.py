"""The fonts every printout uses, and fitting text into a box (shrink, then wrap, then ellipsis).

Chinese must print on a machine with no Chinese fonts installed, so the project ships its own:
fonts/NotoSansSC-{Regular,Bold}.ttf, a subset of Noto Sans CJK SC (SIL OFL 1.1, see fonts/OFL.txt)
converted to TrueType outlines by scripts/build_cjk_font.py (reportlab embeds TrueType only). It
covers ASCII, Latin-1, all of GBK (every unified hanzi U+4E00-U+9FFF, so the rarer characters of
personal and company names such as 喆 堃 镕 玥) and every character of the catalogue, depot names and
UI, in one face for Chinese and Latin alike, so mixed lines need no font switching. reportlab embeds
only the glyphs each document uses. The same files feed Pillow when thermal output renders text as
bitmaps.

`unprintable(text)` names what no shipped font can draw: fields.PrintedText refuses such text at
entry (a name, an address, a note), so nothing ever prints as an empty box.
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


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Code points both faces draw (a character may print in either weight)."""
    register_fonts()
    faces = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in FONT_FILES]
    return frozenset(set.intersection(*faces))


def unprintable(text: str) -> list[str]:
    """The distinct characters of `text` that no shipped font can draw, in order of appearance
    (line breaks and tabs are layout, not glyphs)."""
    have = covered()
    missing = []
    for char in text:
        if ord(char) not in have and char not in "\n\r\t" and char not in missing:
            missing.append(char)
    return missing


@lru_cache(maxsize=65536)
def _unit_width(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(text, font, 1.0)


def text_width(text: str, font: str, size: float) -> float:
    """Width in points; cached per string at size 1, since labels repeat the same words."""
    return _unit_width(text, font) * size


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


WORD_JOINER = "\u2060"  # UAX #14: no line break here; never drawn
NO_BREAK_SPACE = "\u00a0"
# Never at the start of a line (they stay with what precedes them) and never at the end of one.
CLOSING = set(")]}）］｝】」』〕〉》〗〙〛,.;:!?，。、；：！？…’”%％") | {NO_BREAK_SPACE, "·"}
OPENING = set("([{（［｛【「『〔〈《〖〘〚‘“")
SEPARATOR = NO_BREAK_SPACE + "· "  # between the parts of a summary line: the dot ends a line


def keep_together(text: str) -> str:
    """`text` marked so that lines break in it only at spaces and before an opening bracket:
    a donor's or company's name stays whole, "浙江省慈善联合总会（阿里巴巴公益基金会）" breaks, if
    it must, before its bracket."""
    marked = []
    for index, char in enumerate(text):
        if index and char != " " and text[index - 1] != " " and char not in OPENING:
            marked.append(WORD_JOINER)
        marked.append(char)
    return "".join(marked)


def tokens(text: str) -> list[str]:
    """Break opportunities: every CJK character stands alone, Latin words stay whole with their
    trailing space, so 'Family tent 16 m2' wraps between words and '家庭帐篷' between characters.
    Closing punctuation stays with the token before it, opening brackets with the token after,
    a hyphen next to a letter ends a token, and characters joined by WORD_JOINER (see
    keep_together) form one token."""
    found, word, glued = [], "", False
    for char in text:
        if char == WORD_JOINER:
            glued = True
            continue
        if word and not glued and char not in CLOSING and word[-1] not in OPENING:
            if _is_wide(char) or _is_wide(word[-1]) or word[-1] == " " or _after_hyphen(word, char):
                found.append(word)
                word = ""
        word += char
        glued = False
    if word:
        found.append(word)
    return found


def _after_hyphen(word: str, char: str) -> bool:
    """A break after the hyphen of 'single-layer' or 'QUARANTINE-ZONE-B-01', never inside a date
    or number ('2028-01-15', 'MZ/T 011.2-2010')."""
    return len(word) > 1 and word[-1] == "-" and (word[-2].isalpha() or char.isalpha())


def wrap(text: str, font: str, size: float, width: float, split_words: bool = True) -> list[str] | None:
    """Greedy line filling. A word wider than the box is split between characters, or, without
    `split_words`, makes the text not fit at this size (None), so that fit() shrinks first.

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
        token = token.lstrip()
        bare = token.rstrip()
        if _unit_width(bare, font) > limit and not split_words:
            return None
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
    while 1 < cut < len(text) and text[cut] in CLOSING:  # a closing mark never starts the next line
        cut -= 1
    return cut


@dataclass(frozen=True)
class Fitted:
    lines: tuple[str, ...]
    size: float
    cut: bool = False  # the last line ends in an ellipsis: the text did not fit even at size_min

    @property
    def leading(self) -> float:
        return self.size * LEADING


def fit(
    text: str, font: str, width: float, height: float, size_max: float, size_min: float, max_lines: int = 1
) -> Fitted:
    """The largest size (in 0.5 pt steps, and size_min) at which `text` fits the box in at most `max_lines`,
    breaking lines only where tokens() allows; at `size_min` words may split between characters,
    and lines that still do not fit are cut, the last ending with an ellipsis, so nothing ever
    spills out of its box (widths and heights in points)."""
    size = size_max
    plain = text.replace(WORD_JOINER, "")
    if "\n" not in text and _unit_width(plain, font) * size <= width and size * LEADING <= height + 1e-9:
        return Fitted((plain,), size)  # the common case: one line at full size
    while True:
        allowed = max(1, min(max_lines, int(height // (size * LEADING) + 1e-9)))
        lines = wrap(text, font, size, width, split_words=False)
        if lines is not None and len(lines) <= allowed:
            return Fitted(tuple(lines), size)
        if size <= size_min:
            break
        size = max(size - 0.5, size_min)  # the last step lands on size_min itself
    lines = wrap(text, font, size, width)
    if len(lines) <= allowed:
        return Fitted(tuple(lines), size)
    last = _ellipsize(lines[allowed - 1], font, size, width)
    return Fitted(tuple(lines[: allowed - 1]) + (last,), size, cut=True)


def _ellipsize(line: str, font: str, size: float, width: float) -> str:
    while line and text_width(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS
