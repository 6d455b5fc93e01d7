"""The dispatch manifest (调拨单) for a transfer: it travels with the truck.

Its QR code carries <PUBLIC_BASE_URL>/t/<number>: scanned at the receiving depot it opens the
shipment to receive it whole; on any other phone, the live shipment page. Header (number, QR,
from/to with full addresses, contacts and phones, vehicle plate, driver and phone, departure time)
repeats on every page; lines give item, batch, expiry, quantity, unit, weight and volume; totals by
unit and in kg and m³, and three signature boxes close it. What the system does not know (a site's
contact, a driver's phone) prints as a captioned blank to fill in by hand, never as nothing.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from .data import DepotInfo, Document
from .documents import (
    Column,
    HeaderSpec,
    closing,
    lines_table,
    local_text,
    number_text,
    render_document,
    totals_table,
    two_line_cell,
)
from .units import same_unit, totals_caption, unit_text

BLANK = "________"


def contact_line(name: str | None, phone: str | None) -> str:
    return _("Contact: %(name)s  Phone: %(phone)s", name=name or BLANK, phone=phone or BLANK)


def party_lines(
    depot: DepotInfo | None, site: str | None, lang: str, position: str | None = None
) -> list[str]:
    """Name (with code), full address, contact and phone: the lines of a from/to box (a site that
    is no depot: its name, its position, and a contact to fill in)."""
    if depot is None:
        where = (
            _("Position: %(lat_lng)s", lat_lng=position)
            if position
            else _("Address: %(address)s", address=BLANK)
        )
        return [site or "", where, contact_line(None, None)]
    return [
        f"{depot.name(lang)} ({depot.code})",
        _("Address: %(address)s", address=depot.address or BLANK),
        contact_line(depot.contact_name, depot.contact_phone),
    ]


def transfer_header(document: Document, title: str, lang: str, caption: str) -> HeaderSpec:
    return HeaderSpec(
        title=title,
        number=document.number,
        qr_url=document.url,
        qr_caption=caption,
        meta=[
            _("Date: %(date)s", date=local_text(document.date)),
            _("Status: %(status)s", status=document.status),
        ],
        parties=[
            (_("From (issuing depot)"), party_lines(document.from_depot, None, lang)),
            (
                _("To (receiving depot or site)"),
                party_lines(document.to_depot, document.to_site, lang, document.to_site_position),
            ),
        ],
        fields=[
            (_("Vehicle plate"), document.vehicle_plate or ""),
            (_("Driver"), document.driver_name or ""),
            (_("Driver's phone"), document.driver_phone or ""),
            (_("Departure time"), local_text(document.departed_at)),
        ],
        banner=_("DRILL") if document.is_drill else None,
    )


def unit_room(lang: str) -> float:
    """English units ("sleeping bag") need a wider column than Chinese ones (个, 顶);
    the room is taken from the item name."""
    return 8 if lang == "en" else 0


def item_cell(item, lang: str):
    other = item.name_zh if lang == "en" else item.name_en
    return two_line_cell(item.name(lang), f"{other} · {item.sku}")


def render_manifest(document: Document, lang: str = "zh") -> bytes:
    extra = unit_room(lang)
    with force_locale(lang):
        columns = [
            Column("#", 8, "RIGHT"),
            Column(_("Item name"), 56 - extra),
            Column(_("Batch code"), 38),
            Column(_("Expiry date"), 18),
            Column(_("Quantity"), 16, "RIGHT"),
            Column(_("Unit"), 10 + extra),
            Column(_("Weight (kg)"), 18, "RIGHT"),
            Column(_("Volume (m³)"), 18, "RIGHT"),
        ]
        rows = [
            [
                index,
                item_cell(line.item, lang),
                line.batch_code or "—",
                local_text(line.expiry_date),
                number_text(line.quantity),
                unit_text(line.item, line.quantity, lang),
                number_text(line.weight_kg, 1),
                number_text(line.volume_m3, 3),
            ]
            for index, line in enumerate(document.lines, start=1)
        ]
        one_unit = same_unit(document.lines, lang)
        totals = [
            "",
            totals_caption(document.lines, lang),
            "",
            "",
            number_text(document.total_quantity) if one_unit else "",
            "",
            number_text(document.total_weight_kg, 1) + " kg",
            number_text(document.total_volume_m3, 3) + " m³",
        ]
        notes = _("Notes: %(notes)s", notes=document.notes) if document.notes else None
        story = [
            lines_table(columns, rows),
            closing(
                totals_table(columns, totals),
                notes,
                [_("Issuing keeper"), _("Driver"), _("Receiving keeper")],
            ),
        ]
        spec = transfer_header(
            document,
            _("Dispatch manifest"),
            lang,
            _("Scan at the receiving depot to receive this shipment; any phone shows its status."),
        )
        return render_document(spec, story)
