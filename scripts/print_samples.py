"""Render the README's pictures of every printed document from the real Zhejiang demo (a developer
tool, not run by the app or the tests):

    .venv/bin/python scripts/print_samples.py [--out docs]

Migrates a throw-away SQLite database, loads the demo (`flask demo load`), adds what the demo has
no example of (shelf locations, a donation from a company whose name is outside GB2312), then
prints through the same adapters and renderers as the print pages and rasterises each PDF with
pypdfium2 (requirements-dev.txt) into docs/print-*.png:

  labels-a4-3x8, label-thermal-60x40, label-thermal-100x150   batch labels (good, donated,
                                                              quarantined and expired batches)
  labels-locations                                            location labels, A4 sheet
  manifest, manifest-en, picking-list, receipt-note           the documents of a demo transfer
                                                              and of the donation's receipt
"""

import argparse
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RELIEF_STOCK_CONFIG", "testing")

import pypdfium2 as pdfium  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from PIL import Image  # noqa: E402
from sqlalchemy import select  # noqa: E402

from relief_stock import create_app  # noqa: E402
from relief_stock.auth.models import User  # noqa: E402
from relief_stock.catalogue.models import Item  # noqa: E402
from relief_stock.database import atomic, local_today  # noqa: E402
from relief_stock.demo import loader  # noqa: E402
from relief_stock.extensions import db  # noqa: E402
from relief_stock.network import operations as network_ops  # noqa: E402
from relief_stock.network.models import Depot  # noqa: E402
from relief_stock.printing import queries  # noqa: E402
from relief_stock.printing.data import (  # noqa: E402
    label_from_batch,
    label_from_location,
    manifest_from_transfer,
    note_from_receipt,
    picking_from_transfer,
)
from relief_stock.printing.labels import render_labels  # noqa: E402
from relief_stock.printing.layouts import get_layout  # noqa: E402
from relief_stock.printing.manifest import render_manifest  # noqa: E402
from relief_stock.printing.picking import render_picking_list  # noqa: E402
from relief_stock.printing.receipt_note import render_receipt_note  # noqa: E402
from relief_stock.stock import operations as stock_ops  # noqa: E402
from relief_stock.stock.kinds import BatchStatus  # noqa: E402
from relief_stock.stock.models import Batch, Transfer  # noqa: E402

BASE = "https://relief.example.org"
DONOR = "浙商爱心联盟（王喆、李玥、赵堃鑫）"


def pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def side_by_side(images: list[Image.Image], gap: int = 24) -> Image.Image:
    sheet = Image.new("L", (sum(i.width for i in images) + gap * (len(images) - 1), images[0].height), 150)
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + gap
    return sheet


def demo_extras(admin, depot):
    """A donation with a name outside GB2312, and shelf locations: the demo has neither."""
    blankets = db.session.scalar(select(Item).where(Item.sku == "BED-BLKT-W30"))
    locations = [
        network_ops.create_location(admin, depot, code, name)
        for code, name in (
            ("A-01-01", "一号库房 A 区 1 排货架"),
            ("A-01-02", "一号库房 A 区 1 排货架"),
            ("QUARANTINE-ZONE-B-01", "王喆、李玥捐赠物资暂存区（堃鑫公司）"),
        )
    ]
    receipt = stock_ops.receive(
        admin,
        depot,
        [stock_ops.ReceiptLine(blankets, 240, location=locations[0], donor_name=DONOR)],
        source_kind="donation",
        supplier=DONOR,
        donor_ref="DON-2026-118",
        received_date=local_today() - timedelta(days=2),
    )
    return receipt, locations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/demo.db", "PUBLIC_BASE_URL": BASE})
        with app.app_context(), app.test_request_context():
            upgrade(directory=str(ROOT / "migrations"))
            with atomic():
                loader.load_all()
            admin = db.session.scalar(select(User).where(User.username == "admin"))
            depot = db.session.scalar(select(Depot).where(Depot.code == "330100"))
            with atomic():
                receipt, locations = demo_extras(admin, depot)
            shown = [receipt.batches[0]]
            for status in (BatchStatus.QUARANTINED, BatchStatus.EXPIRED, BatchStatus.AVAILABLE):
                shown.append(db.session.scalar(select(Batch).where(Batch.status == status).limit(1)))
            labels = [label_from_batch(batch) for batch in shown]
            written = []

            def save(name: str, image: Image.Image):
                path = out / f"print-{name}.png"
                image.save(path, optimize=True)
                written.append(path)

            sheet = pages(render_labels(get_layout("a4-3x8"), labels * 3), 110)[0]
            save("labels-a4-3x8", sheet.crop((0, 0, sheet.width, sheet.height * 3 // 8)))
            for name in ("thermal-60x40", "thermal-100x150"):
                dpi = 300 if name == "thermal-60x40" else 150
                save(f"label-{name}", side_by_side(pages(render_labels(get_layout(name), labels), dpi)))
            location_sheet = pages(
                render_labels(get_layout("location-a4-3x8"), [label_from_location(x) for x in locations]), 110
            )[0]
            save(
                "labels-locations",
                location_sheet.crop((0, 0, location_sheet.width, location_sheet.height // 7)),
            )
            transfer = db.session.scalar(select(Transfer).order_by(Transfer.id).limit(1))
            document = manifest_from_transfer(transfer)
            save("manifest", pages(render_manifest(document, "zh"), 110)[0])
            save("manifest-en", pages(render_manifest(document, "en"), 110)[0])
            picking = picking_from_transfer(transfer, queries.issuable_batches(transfer))
            save("picking-list", pages(render_picking_list(picking, "zh"), 110)[0])
            note = note_from_receipt(receipt, queries.received_quantities(receipt))
            save(
                "receipt-note", pages(render_receipt_note(note, "zh", received_by=admin.display_name), 110)[0]
            )
            db.engine.dispose()
    for path in written:
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size // 1024} KB"
        )


if __name__ == "__main__":
    main()
