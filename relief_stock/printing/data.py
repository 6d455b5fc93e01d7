"""Plain data for every printout, and the one adapter from the models to it.

Renderers (labels.py, thermal.py, manifest.py, picking.py, receipt_note.py) draw these dataclasses
and never touch the ORM, so layouts, fonts and QR codes are built and tested without a database.
The `*_from_*` functions below are the only place that reads models for printing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _

from ..database import local_today
from ..scanning.codes import location_code, url_for_code
from ..stock.kinds import BatchStatus, SourceKind
from .fonts import SEPARATOR, keep_together
from .units import quantity_text

# What a keeper must see before touching a batch: white on black across the label.
BANNER_STATUSES = (BatchStatus.EXPIRED, BatchStatus.QUARANTINED, BatchStatus.WRITTEN_OFF)


def banner_text(status: BatchStatus) -> str:
    return {
        BatchStatus.EXPIRED: _("EXPIRED"),
        BatchStatus.QUARANTINED: _("QUARANTINED"),
        BatchStatus.WRITTEN_OFF: _("WRITTEN OFF"),
    }[status]


@dataclass(frozen=True)
class DepotInfo:
    code: str
    name_zh: str
    name_en: str
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class ItemInfo:
    sku: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    unit_weight_kg: Decimal | None = None
    unit_volume_m3: Decimal | None = None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_zh


@dataclass(frozen=True)
class BatchLabel:
    code: str
    url: str
    item: ItemInfo
    quantity: int
    depot: DepotInfo
    received_date: date
    expiry_date: date | None = None
    donor: str | None = None
    location: str | None = None
    banner: BatchStatus | None = None  # one of BANNER_STATUSES, printed as an inverse banner

    def fields(self, lang: str) -> dict[str, str]:
        """The text a layout can place, by field name (captions in `lang`; both item names always).
        `origin` is the date of receipt and the donor, for labels with no room for the depot too."""
        expiry = (
            _("EXP %(date)s", date=self.expiry_date.isoformat()) if self.expiry_date else _("No expiry date")
        )
        received = _("Received %(date)s", date=self.received_date.isoformat())
        donor = keep_together(_("Donor: %(name)s", name=self.donor)) if self.donor else ""
        depot = self.depot.name(lang)
        return {
            "code": self.code,
            "item_zh": self.item.name_zh,
            "item_en": self.item.name_en,
            "quantity": quantity_text(self.item, self.quantity, lang),
            "expiry": expiry,
            "depot": depot,
            "received": received,
            "donor": donor,
            "location": _("Location %(code)s", code=self.location) if self.location else "",
            "meta": SEPARATOR.join(part for part in (depot, received, donor) if part),
            "origin": SEPARATOR.join(part for part in (received, donor) if part),
            "status": banner_text(self.banner) if self.banner else "",
        }


@dataclass(frozen=True)
class LocationLabel:
    code: str  # the printed code, L-<depot>-<location>-<check>
    url: str
    location: str  # the location's own code, A-01-03
    name: str | None
    depot: DepotInfo

    def fields(self, lang: str) -> dict[str, str]:
        return {
            "code": self.code,
            "location": self.location,
            "name": self.name or "",
            "depot": self.depot.name(lang),
        }


@dataclass(frozen=True)
class DocumentLine:
    """One row of a manifest, picking list or receipt note: a quantity of one batch of one item."""

    item: ItemInfo
    quantity: int
    batch_code: str | None = None
    expiry_date: date | None = None
    location: str | None = None

    @property
    def weight_kg(self) -> Decimal | None:
        return None if self.item.unit_weight_kg is None else self.item.unit_weight_kg * self.quantity

    @property
    def volume_m3(self) -> Decimal | None:
        return None if self.item.unit_volume_m3 is None else self.item.unit_volume_m3 * self.quantity


@dataclass(frozen=True)
class Document:
    """A transfer (manifest, picking list) or a receipt (receipt note), ready to print."""

    number: str
    url: str
    from_depot: DepotInfo
    lines: tuple[DocumentLine, ...]
    to_depot: DepotInfo | None = None
    to_site: str | None = None
    to_site_position: str | None = None  # "lat, lng" of a site that is no depot
    status: str = ""  # a lazy label, rendered in the document's language
    vehicle_plate: str | None = None
    driver_name: str | None = None
    driver_phone: str | None = None
    date: datetime | date | None = None
    departed_at: datetime | None = None  # transfers: when the truck left (dispatched)
    recorded_at: datetime | None = None  # receipts: when the keeper entered it
    source: str | None = None  # receipts: purchase, allocation or donation (a lazy label)
    supplier: str | None = None  # receipts: the supplier, allocating body or donor
    reference: str | None = None  # receipts: delivery note / donor reference
    notes: str | None = None
    is_drill: bool = False
    shortfalls: tuple[DocumentLine, ...] = field(default=())  # picking lists: what no batch covers

    @property
    def total_weight_kg(self) -> Decimal:
        return sum((line.weight_kg or Decimal(0) for line in self.lines), Decimal(0))

    @property
    def total_volume_m3(self) -> Decimal:
        return sum((line.volume_m3 or Decimal(0) for line in self.lines), Decimal(0))

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


# --- the adapter: models -> plain data ------------------------------------------------------------


def depot_info(depot) -> DepotInfo:
    return DepotInfo(
        depot.code, depot.name_zh, depot.name_en, depot.address, depot.contact_name, depot.contact_phone
    )


def item_info(item) -> ItemInfo:
    return ItemInfo(
        item.sku,
        item.name_zh,
        item.name_en,
        item.unit_zh,
        item.unit_en,
        item.unit_weight_kg,
        item.unit_volume_m3,
    )


def batch_banner(status: BatchStatus, expiry_date: date | None, today: date) -> BatchStatus | None:
    """The banner a batch's label carries: its status when that forbids issuing it, and "expired"
    from the day after its expiry date even before the daily check has marked it."""
    if status in BANNER_STATUSES:
        return status
    if expiry_date is not None and expiry_date < today:
        return BatchStatus.EXPIRED
    return None


def label_from_batch(batch) -> BatchLabel:
    donor = batch.donor_name if batch.source_kind == SourceKind.DONATION else None
    return BatchLabel(
        code=batch.code,
        url=url_for_code(batch.code),
        item=item_info(batch.item),
        quantity=batch.quantity,
        depot=depot_info(batch.depot),
        received_date=batch.received_date,
        expiry_date=batch.expiry_date,
        donor=donor,
        location=batch.location.code if batch.location is not None else None,
        banner=batch_banner(batch.status, batch.expiry_date, local_today()),
    )


def label_from_location(location) -> LocationLabel:
    code = location_code(location.depot.code, location.code)
    return LocationLabel(
        code=code,
        url=url_for_code(code),
        location=location.code,
        name=location.name,
        depot=depot_info(location.depot),
    )


def _batch_line(batch, quantity: int) -> DocumentLine:
    return DocumentLine(
        item=item_info(batch.item),
        quantity=quantity,
        batch_code=batch.code,
        expiry_date=batch.expiry_date,
        location=batch.location.code if batch.location is not None else None,
    )


def _transfer_header(transfer, lines, **extra) -> Document:
    return Document(
        number=transfer.number,
        url=url_for_code(transfer.number),
        from_depot=depot_info(transfer.from_depot),
        to_depot=depot_info(transfer.to_depot) if transfer.to_depot is not None else None,
        to_site=transfer.to_site_name,
        to_site_position=(
            f"{transfer.to_lat:.5f}, {transfer.to_lng:.5f}"
            if transfer.to_lat is not None and transfer.to_lng is not None
            else None
        ),
        status=transfer.status.label,
        vehicle_plate=transfer.vehicle_plate,
        driver_name=transfer.driver_name,
        driver_phone=transfer.driver_phone,
        date=transfer.created_at,
        departed_at=transfer.dispatched_at,
        notes=transfer.notes,
        is_drill=transfer.is_drill,
        lines=tuple(lines),
        **extra,
    )


def manifest_from_transfer(transfer) -> Document:
    """One row per picked batch; a line not picked yet shows its ordered quantity without a batch."""
    rows = []
    for line in transfer.lines:
        if line.picks:
            rows += [_batch_line(pick.batch, pick.quantity) for pick in line.picks]
        else:
            rows.append(DocumentLine(item=item_info(line.item), quantity=line.quantity))
    return _transfer_header(transfer, rows)


def picking_from_transfer(transfer, available_batches, today: date | None = None) -> Document:
    """Picks already made, else a FEFO proposal over `available_batches` (the sending depot's
    batches of the ordered items); rows sorted by location so the keeper walks the aisles once."""
    from ..stock.rules import fefo_plan

    rows, short = [], []
    for line in transfer.lines:
        if line.picks:
            rows += [_batch_line(pick.batch, pick.quantity) for pick in line.picks]
            continue
        candidates = [b for b in available_batches if b.item_id == line.item_id]
        plan, shortfall = fefo_plan(
            candidates, line.quantity, today=today, min_remaining_days=line.item.min_remaining_shelf_life_days
        )
        rows += [_batch_line(batch, quantity) for batch, quantity in plan]
        if shortfall:
            short.append(DocumentLine(item=item_info(line.item), quantity=shortfall))
    rows.sort(
        key=lambda row: (row.location is None, row.location or "", row.item.sku, row.expiry_date or date.max)
    )
    return _transfer_header(transfer, rows, shortfalls=tuple(short))


def note_from_receipt(receipt, received_quantities: dict[int, int]) -> Document:
    """`received_quantities` maps batch id -> quantity taken in (from the receipt's movements), since
    a batch's current quantity may have changed since."""
    lines = [
        _batch_line(batch, received_quantities.get(batch.id, batch.quantity)) for batch in receipt.batches
    ]
    reference = " / ".join(ref for ref in (receipt.delivery_note_ref, receipt.donor_ref) if ref) or None
    return Document(
        number=receipt.number,
        url=url_for_code(receipt.number),
        from_depot=depot_info(receipt.depot),
        lines=tuple(lines),
        # The date of receipt the keeper gave, as on the batches' labels; the entry time apart.
        date=receipt.batches[0].received_date if receipt.batches else receipt.received_at,
        recorded_at=receipt.received_at,
        source=receipt.source_kind.label,
        supplier=receipt.supplier,
        reference=reference,
        notes=receipt.notes,
    )


def count_sheet_from_stocktake(stocktake, batches):
    """The count sheet's plain data: the batches a count covers, with their book quantities."""
    from flask import current_app, url_for

    from ..i18n import localized
    from .count_sheet import CountRow, CountSheet

    depot = stocktake.depot
    if stocktake.location is not None:
        qr_url = url_for_code(location_code(depot.code, stocktake.location.code))
    else:
        base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
        qr_url = base + url_for("stock.stocktake", stocktake_id=stocktake.id)
    return CountSheet(
        number=str(stocktake.id),
        depot_name=localized(depot, "name"),
        location=stocktake.location.code if stocktake.location else None,
        opened_at=stocktake.opened_at,
        is_blind=stocktake.is_blind,
        qr_url=qr_url,
        rows=[
            CountRow(
                location=batch.location.code if batch.location else None,
                batch_code=batch.code,
                name_zh=batch.item.name_zh,
                name_en=batch.item.name_en,
                sku=batch.item.sku,
                unit_zh=batch.item.unit_zh,
                unit_en=batch.item.unit_en,
                expiry_date=batch.expiry_date,
                book_quantity=batch.quantity,
            )
            for batch in batches
            if batch.quantity > 0
        ],
    )
