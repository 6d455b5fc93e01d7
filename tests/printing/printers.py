"""What a thermal printer makes of our commands: small interpreters for the subset of ZPL and TSPL
that printing.thermal emits, each drawing a label as a grayscale image (0 = a burnt dot).

ZPL: ^XA/^XZ, ^PW, ^LL, ^LH0,0, ^FO, ^GFA (hex and :Z64: with its CRC), ^BQN, ^FD, ^FS, ^PQ, ^CI.
Fields add ink and never erase, as on a Zebra. TSPL: SIZE, GAP, DIRECTION, REFERENCE, CODEPAGE, CLS,
BITMAP (mode 0, overwrite: its white dots erase what lies under them), QRCODE, PRINT; a 0 bit is a
burnt dot. Anything else is refused, so a new command cannot slip past the tests unread.

QR symbols are drawn from printing.qr.matrix at the commanded position and module size: a real
printer picks its own mask pattern, so the modules may differ from ours but the geometry may not.
"""

import base64
import binascii
import re
import zlib

from PIL import Image, ImageChops, ImageFilter

from relief_stock.printing import qr

BLACK, WHITE = 0, 255


def qr_image(url: str, cell: int) -> Image.Image:
    rows = qr.matrix(url)
    image = Image.new("L", (len(rows), len(rows)), WHITE)
    image.putdata([BLACK if dark else WHITE for row in rows for dark in row])
    return image.resize((len(rows) * cell, len(rows) * cell), Image.Resampling.NEAREST)


def _ink(canvas: Image.Image, image: Image.Image, x: int, y: int) -> None:
    """Add the black dots of `image` at (x, y); the label edge clips, as the print head does."""
    region = Image.new("L", canvas.size, WHITE)
    region.paste(image, (x, y))
    canvas.paste(Image.new("L", canvas.size, BLACK), (0, 0), Image.eval(region, lambda v: 255 - v))


def _bits(data: bytes, row_bytes: int, one_is_black: bool) -> Image.Image:
    assert len(data) % row_bytes == 0, "graphic data is not a whole number of rows"
    image = Image.frombytes("1", (row_bytes * 8, len(data) // row_bytes), data).convert("L")
    return Image.eval(image, lambda v: 255 - v) if one_is_black else image


def z64_decode(text: str) -> bytes:
    match = re.fullmatch(r":Z64:([A-Za-z0-9+/=]+):([0-9A-F]{4})", text)
    assert match, f"bad :Z64: data {text[:40]}"
    assert binascii.crc_hqx(match[1].encode(), 0) == int(match[2], 16), "Z64 CRC mismatch"
    return zlib.decompress(base64.b64decode(match[1]))


def zpl_labels(zpl: str) -> list[Image.Image]:
    """One image per ^XA...^XZ format."""
    images = []
    for block in re.findall(r"\^XA(.*?)\^XZ", zpl, re.S):
        width, height = int(re.search(r"\^PW(\d+)", block)[1]), int(re.search(r"\^LL(\d+)", block)[1])
        canvas = Image.new("L", (width, height), WHITE)
        origin = (0, 0)
        for command in (c.strip() for c in block.split("^") if c.strip()):
            name, args = command[:2], command[2:]
            if name == "FO":
                origin = tuple(int(v) for v in args.split(","))
            elif name == "BQ":
                orientation, model, cell = args.split(",")
                assert (orientation, model) == ("N", "2")
                qr_cell = int(cell)
            elif name == "FD":
                assert args.startswith("MA,"), "QR data must say error level M, automatic input"
                _ink(canvas, qr_image(args[3:], qr_cell), *origin)
            elif name == "GF":
                kind, total, total2, row, data = args.split(",", 4)
                assert kind == "A" and total == total2
                raw = z64_decode(data) if data.startswith(":Z64:") else bytes.fromhex(data)
                assert len(raw) == int(total), "^GF byte count does not match its data"
                _ink(canvas, _bits(raw, int(row), one_is_black=True), *origin)
            elif name in ("FS", "LH", "PW", "LL", "PQ", "CI"):
                continue
            else:
                raise AssertionError(f"ZPL command ^{name} is not part of what we emit")
        images.append(canvas)
    return images


TSPL_COMMAND = re.compile(rb"([A-Z]+) ?([^\r]*)\r\n")
TSPL_BITMAP = re.compile(rb"BITMAP (\d+),(\d+),(\d+),(\d+),0,")


def tspl_labels(tspl: bytes, width: int, height: int) -> list[Image.Image]:
    """One image per PRINT, in a label `width` x `height` dots."""
    images, canvas, position = [], None, 0
    while position < len(tspl):
        bitmap = TSPL_BITMAP.match(tspl, position)
        if bitmap:
            x, y, row, rows = map(int, bitmap.groups())
            start = bitmap.end()
            image = _bits(tspl[start : start + row * rows], row, one_is_black=False)
            assert x + image.width <= width and y + rows <= height, "bitmap runs off the label"
            canvas.paste(image, (x, y))  # mode 0: overwrite
            assert tspl[start + row * rows : start + row * rows + 2] == b"\r\n"
            position = start + row * rows + 2
            continue
        match = TSPL_COMMAND.match(tspl, position)
        assert match, f"unreadable TSPL at byte {position}: {tspl[position : position + 30]!r}"
        name, args = match[1].decode(), match[2].decode()
        position = match.end()
        if name == "CLS":
            canvas = Image.new("L", (width, height), WHITE)
        elif name == "QRCODE":
            found = re.fullmatch(r'(\d+),(\d+),M,(\d+),A,0,M2,"(.+)"', args)
            assert found, f"unexpected QRCODE {args}"
            x, y, cell = map(int, found.groups()[:3])
            _ink(canvas, qr_image(found[4], cell), x, y)
        elif name == "PRINT":
            images.append(canvas)
        elif name not in ("SIZE", "GAP", "DIRECTION", "REFERENCE", "CODEPAGE"):
            raise AssertionError(f"TSPL command {name} is not part of what we emit")
    return images


def stray_dots(printed: Image.Image, reference: Image.Image, reach: int = 1) -> Image.Image:
    """Dots burnt where the reference has no ink within `reach` dots (a 1-dot allowance for two
    rasterisers that round glyph edges differently), and reference ink the printer left out."""
    size = 2 * reach + 1
    grown_reference = reference.filter(ImageFilter.MinFilter(size))
    grown_printed = printed.filter(ImageFilter.MinFilter(size))
    extra = ImageChops.subtract(grown_reference, printed)  # white in reference (grown), black printed
    missing = ImageChops.subtract(grown_printed, reference)
    return ImageChops.lighter(extra, missing)


def binary(image: Image.Image) -> Image.Image:
    return image.convert("L").point(lambda v: WHITE if v >= 128 else BLACK)
