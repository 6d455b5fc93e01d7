"""Printing fixtures: an app context for the renderers (no database), catalogue-based sample data
with the longest names we ship, and helpers that look at a PDF the way a printer and a phone would:
rasterise pages (pypdfium2), decode QR codes (zxing-cpp), extract text (pypdf)."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageFilter

from relief_stock import create_app
from relief_stock.printing.data import BatchLabel, DepotInfo, Document, DocumentLine, ItemInfo, LocationLabel
from relief_stock.scanning import codes
from relief_stock.stock.kinds import SourceKind, TransferStatus

CATALOGUE = Path(__file__).resolve().parents[2] / "relief_stock" / "demo" / "data" / "catalogue.csv"
BASE = "https://relief.example.org"


@pytest.fixture(scope="session")
def print_app():
    """The real app (translations, PUBLIC_BASE_URL) without a database: renderers never query."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_BASE_URL": BASE})
    return app


@pytest.fixture
def ctx(print_app):
    with print_app.app_context():
        yield print_app


def catalogue_items() -> list[ItemInfo]:
    with open(CATALOGUE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        ItemInfo(
            r["sku"],
            r["name_zh"],
            r["name_en"],
            r["unit_zh"],
            r["unit_en"],
            Decimal(r["unit_weight_kg"]) if r["unit_weight_kg"] else None,
            Decimal(r["unit_volume_m3"]) if r["unit_volume_m3"] else None,
        )
        for r in rows
    ]


def longest_items(count: int = 6) -> list[ItemInfo]:
    """The catalogue items with the longest Chinese and the longest English names."""
    items = catalogue_items()
    by_zh = sorted(items, key=lambda i: -len(i.name_zh))[: count // 2]
    by_en = sorted(items, key=lambda i: -len(i.name_en))[: count - count // 2]
    return by_zh + by_en


DEPOT = DepotInfo(
    "330100",
    "杭州市红十字会备灾救灾物资储备中心仓库",
    "Hangzhou Red Cross Relief Supplies Reserve Centre",
    "浙江省杭州市上城区望江东路 88 号 3 号库",
    "王建国",
    "0571-87654321",
)
OTHER_DEPOT = DepotInfo(
    "330102",
    "上城区红十字会备灾仓库",
    "Shangcheng District Relief Depot",
    "杭州市上城区清江路 45 号",
    "李明",
    "13800001111",
)


def batch_code(sequence: int, depot: str = "330100") -> str:
    return codes.format_sequenced(codes.BATCH, depot, 2026, sequence)


def sample_labels(count: int, donor_every: int = 2) -> list[BatchLabel]:
    items = longest_items()
    labels = []
    for index in range(count):
        code = batch_code(index + 1)
        labels.append(
            BatchLabel(
                code=code,
                url=f"{BASE}/b/{code}",
                item=items[index % len(items)],
                quantity=1200 + index,
                depot=DEPOT,
                received_date=date(2026, 11, 28),
                expiry_date=date(2028, 1 + index % 12, 15),
                donor="浙江省慈善联合总会（阿里巴巴公益基金会定向捐赠）"
                if index % donor_every == 0
                else None,
                location=f"A-{index % 9 + 1:02d}-{index % 5 + 1:02d}",
            )
        )
    return labels


def sample_locations(count: int) -> list[LocationLabel]:
    found = []
    for index in range(count):
        local = f"A-{index // 5 + 1:02d}-{index % 5 + 1:02d}"
        code = codes.location_code("330100", local)
        found.append(
            LocationLabel(code, f"{BASE}/l/{code}", local, f"一号库房 A 区 {index // 5 + 1} 排货架", DEPOT)
        )
    return found


def sample_transfer(lines: int, drill: bool = False) -> Document:
    items = catalogue_items()
    rows = tuple(
        DocumentLine(
            items[i % len(items)],
            10 + i,
            batch_code(i + 1),
            date(2027, 1 + i % 12, 1),
            f"{'ABC'[i % 3]}-{i % 7 + 1:02d}-{i % 4 + 1:02d}",
        )
        for i in range(lines)
    )
    number = codes.format_sequenced(codes.TRANSFER, "330100", 2026, 42)
    return Document(
        number=number,
        url=f"{BASE}/t/{number}",
        from_depot=DEPOT,
        to_depot=OTHER_DEPOT,
        lines=rows,
        status=TransferStatus.IN_TRANSIT.label,
        vehicle_plate="浙A·D12345",
        driver_name="张师傅",
        driver_phone="13900002222",
        date=datetime(2026, 11, 28, 0, 30, tzinfo=UTC),
        departed_at=datetime(2026, 11, 28, 2, 15, tzinfo=UTC),
        notes="台风“海葵”应急调拨",
        is_drill=drill,
    )


def sample_receipt(lines: int) -> Document:
    items = catalogue_items()
    number = codes.format_sequenced(codes.RECEIPT, "330100", 2026, 7)
    return Document(
        number=number,
        url=f"{BASE}/r/{number}",
        from_depot=DEPOT,
        lines=tuple(
            DocumentLine(items[i % len(items)], 1 if i == 0 else 20 + i, batch_code(i + 1), date(2028, 1, 1))
            for i in range(lines)
        ),
        date=date(2026, 11, 27),
        recorded_at=datetime(2026, 11, 28, 1, 5, tzinfo=UTC),
        source=SourceKind.DONATION.label,
        supplier="浙商爱心联盟",
        reference="DON-2026-001",
    )


def rasterise(pdf: bytes, dpi: int = 200) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def decode(image: Image.Image) -> list:
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def worn(image: Image.Image) -> Image.Image:
    """A cheap thermal head and a phone camera: Gaussian blur (sigma 2.5), then half the resolution."""
    blurred = image.filter(ImageFilter.GaussianBlur(radius=2.5))
    return blurred.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text without whitespace: wrapped lines split names at any character."""
    return "".join(text.split())
