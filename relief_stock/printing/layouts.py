"""Label layouts as data: the TOML files in labels/ (sizes in mm), read and checked here.

Step (7) of the flow, paper. One renderer (labels.py for PDF, thermal.py for ZPL/TSPL) draws any
layout, so adding a label size means adding a file in labels/, never code. A layout names its kind
(batch or location), its media (an A4 sheet of rows x columns, or a thermal roll of single labels),
where the QR code goes and which text fields go where, each with a font size range to shrink within.
"""

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _

from ..errors import BadInput, NotFound

LAYOUT_DIR = Path(__file__).resolve().parents[2] / "labels"
MM_PER_INCH = 25.4
KINDS = ("batch", "location")
MEDIA = ("sheet", "thermal")


@dataclass(frozen=True)
class TextBox:
    field: str
    x_mm: float
    y_mm: float  # from the label's top edge
    width_mm: float
    height_mm: float
    size_max: float
    size_min: float
    lines: int = 1
    bold: bool = False
    align: str = "left"  # left | center | right
    inverse: bool = False  # white on black, for what must catch the eye (expiry)


@dataclass(frozen=True)
class Layout:
    name: str
    title_zh: str
    title_en: str
    kind: str
    media: str
    page_w_mm: float
    page_h_mm: float
    label_w_mm: float
    label_h_mm: float
    qr_x_mm: float
    qr_y_mm: float
    qr_size_mm: float
    texts: tuple[TextBox, ...]
    columns: int = 1
    rows: int = 1
    margin_top_mm: float = 0
    margin_left_mm: float = 0
    gap_x_mm: float = 0
    gap_y_mm: float = 0
    dpi: int = 203
    gap_mm: float = 2  # between thermal labels on the roll

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def is_thermal(self) -> bool:
        return self.media == "thermal"

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def slot_origin_mm(self, slot: int) -> tuple[float, float]:
        """Top-left corner (x, y from the page's top edge) of the label at 0-based `slot`, row-major."""
        row, column = divmod(slot, self.columns)
        return (
            self.margin_left_mm + column * (self.label_w_mm + self.gap_x_mm),
            self.margin_top_mm + row * (self.label_h_mm + self.gap_y_mm),
        )


def dots(value_mm: float, dpi: int) -> int:
    """A length in mm as whole printer dots at `dpi`."""
    return round(value_mm / MM_PER_INCH * dpi)


def parse_layout(name: str, data: dict) -> Layout:
    """Build a Layout from parsed TOML, refusing anything that would print off the label or page."""
    try:
        grid = data.get("grid", {})
        thermal = data.get("thermal", {})
        layout = Layout(
            name=name,
            title_zh=data["title_zh"],
            title_en=data["title_en"],
            kind=data["kind"],
            media=data["media"],
            page_w_mm=data["page"]["width_mm"],
            page_h_mm=data["page"]["height_mm"],
            label_w_mm=data["label"]["width_mm"],
            label_h_mm=data["label"]["height_mm"],
            qr_x_mm=data["qr"]["x_mm"],
            qr_y_mm=data["qr"]["y_mm"],
            qr_size_mm=data["qr"]["size_mm"],
            texts=tuple(TextBox(**box) for box in data.get("text", [])),
            columns=grid.get("columns", 1),
            rows=grid.get("rows", 1),
            margin_top_mm=grid.get("margin_top_mm", 0),
            margin_left_mm=grid.get("margin_left_mm", 0),
            gap_x_mm=grid.get("gap_x_mm", 0),
            gap_y_mm=grid.get("gap_y_mm", 0),
            dpi=thermal.get("dpi", 203),
            gap_mm=thermal.get("gap_mm", 2),
        )
    except (KeyError, TypeError) as error:
        raise BadInput(f"label layout {name}: missing or unknown setting {error}") from error
    _check(layout)
    return layout


def _check(layout: Layout) -> None:
    problems = []
    if layout.kind not in KINDS:
        problems.append(f"kind must be one of {KINDS}")
    if layout.media not in MEDIA:
        problems.append(f"media must be one of {MEDIA}")
    right, bottom = layout.slot_origin_mm(layout.per_page - 1)
    if (
        right + layout.label_w_mm > layout.page_w_mm + 0.01
        or bottom + layout.label_h_mm > layout.page_h_mm + 0.01
    ):
        problems.append("the grid does not fit on the page")
    boxes = [("qr", layout.qr_x_mm, layout.qr_y_mm, layout.qr_size_mm, layout.qr_size_mm)]
    boxes += [(t.field, t.x_mm, t.y_mm, t.width_mm, t.height_mm) for t in layout.texts]
    for field, x, y, w, h in boxes:
        if x < 0 or y < 0 or x + w > layout.label_w_mm + 0.01 or y + h > layout.label_h_mm + 0.01:
            problems.append(f"{field} lies outside the {layout.label_w_mm} x {layout.label_h_mm} mm label")
    for t in layout.texts:
        if not 0 < t.size_min <= t.size_max or t.lines < 1 or t.align not in ("left", "center", "right"):
            problems.append(f"{t.field}: sizes, lines or align out of range")
    if problems:
        raise BadInput(f"label layout {layout.name}: " + "; ".join(problems))


@lru_cache(maxsize=1)
def _all_layouts(directory: Path = LAYOUT_DIR) -> dict[str, Layout]:
    layouts = {}
    for path in sorted(directory.glob("*.toml")):
        with open(path, "rb") as handle:
            layouts[path.stem] = parse_layout(path.stem, tomllib.load(handle))
    return layouts


def layouts(kind: str | None = None) -> list[Layout]:
    """Every shipped layout (of `kind`, when given), sheets first, in file-name order."""
    found = [layout for layout in _all_layouts().values() if kind in (None, layout.kind)]
    return sorted(found, key=lambda layout: (layout.is_thermal, layout.name))


def get_layout(name: str, kind: str | None = None) -> Layout:
    """The layout called `name` (the file name without .toml); NotFound names the choices."""
    found = _all_layouts().get(name)
    if found is None or kind not in (None, found.kind):
        choices = ", ".join(layout.name for layout in layouts(kind))
        raise NotFound(_("No label layout %(name)s; choose one of %(choices)s.", name=name, choices=choices))
    return found
