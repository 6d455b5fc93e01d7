"""Build the Chinese fonts the printing domain embeds in every PDF (a developer tool, not run by the app).

    python scripts/build_cjk_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc

Noto Sans CJK SC (SIL Open Font License 1.1; Debian package fonts-noto-cjk) is CFF-based, which
reportlab cannot embed; this script takes the Simplified Chinese face out of each collection,
subsets it to what relief-stock prints, and converts the outlines to TrueType quadratics (cu2qu),
writing relief_stock/printing/fonts/NotoSansSC-<Weight>.ttf. The subset holds:
  - ASCII, Latin-1, general punctuation, CJK symbols and full-width forms,
  - every GBK character (21,886, among them all 20,902 unified hanzi U+4E00-U+9FA5) and the rest of
    that block up to U+9FFF: the characters of personal and company names outside GB2312 (喆 堃 镕
    昇 赟 珺 玥 璟 祎 彧 瑄) print instead of empty boxes,
  - every character in the demo data (catalogue, divisions), translation catalogues and templates.
Needs fontTools (requirements-dev.txt). Re-run after adding text with characters outside GB2312.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "relief_stock" / "printing" / "fonts"
FAMILY = "Noto Sans CJK SC"


def gbk_chars() -> set[str]:
    chars = set()
    for high in range(0x81, 0xFF):
        for low in range(0x40, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gbk"))
            except UnicodeDecodeError:
                pass
    return chars


def project_chars() -> set[str]:
    chars = set()
    patterns = (
        "relief_stock/demo/data/*.csv",
        "relief_stock/**/*.po",
        "templates/**/*.html",
        "relief_stock/**/*.py",
        "labels/*.toml",
    )
    for pattern in patterns:
        for path in ROOT.glob(pattern):
            chars |= set(path.read_text(encoding="utf-8"))
    return chars


def wanted_text() -> str:
    ranges = [
        (0x20, 0x7E),
        (0xA0, 0xFF),
        (0x2000, 0x206F),
        (0x2100, 0x214F),
        (0x2190, 0x21FF),
        (0x2460, 0x24FF),
        (0x3000, 0x303F),
        (0x3200, 0x33FF),
        (0x4E00, 0x9FFF),
        (0xFF00, 0xFFEF),
    ]
    chars = {chr(c) for start, end in ranges for c in range(start, end + 1)}
    chars |= gbk_chars() | project_chars()
    return "".join(sorted(c for c in chars if c.isprintable()))


def sc_face(collection_path: str):
    for font in TTCollection(collection_path).fonts:
        if font["name"].getDebugName(1) == FAMILY:
            return font
    raise SystemExit(f"{collection_path}: no {FAMILY} face")


def to_truetype(font) -> None:
    """CFF cubic outlines -> glyf quadratic outlines (as fontTools' otf2ttf snippet does)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    for table in ("VORG", "BASE", "GPOS", "GSUB"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\000\001\000\000"


def build(collection_path: str) -> Path:
    font = sc_face(collection_path)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=wanted_text())
    subsetter.subset(font)
    to_truetype(font)
    weight = font["name"].getDebugName(2).replace(" ", "")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"NotoSansSC-{weight}.ttf"
    font.save(out)
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    for path in sys.argv[1:]:
        out = build(path)
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size / 1e6:.2f} MB")
