"""The receipt note (入库单) for a receipt: what came in, from whom, into which batches.

Its QR code carries <PUBLIC_BASE_URL>/r/<number>. Quantities are those taken in (from the receipt's
movements), not the batches' current balances, so a note reprinted later still matches the delivery.
"Received" is the date of receipt the keeper gave, the date the batches' labels print; the time the
receipt was entered is shown apart.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from .data import Document
from .documents import (
    Column,
    HeaderSpec,
    closing,
    lines_table,
    local_text,
    number_text,
    render_document,
    totals_table,
)
from .manifest import item_cell, party_lines, unit_room
from .units import same_unit, totals_caption, unit_text


def render_receipt_note(document: Document, lang: str = "zh", received_by: str | None = None) -> bytes:
    extra = unit_room(lang)
    with force_locale(lang):
        columns = [
            Column("#", 8, "RIGHT"),
            Column(_("Item name"), 56 - extra),
            Column(_("Batch code"), 38),
            Column(_("Expiry date"), 18),
            Column(_("Location"), 16),
            Column(_("Quantity"), 16, "RIGHT"),
            Column(_("Unit"), 10 + extra),
            Column(_("Weight (kg)"), 20, "RIGHT"),
        ]
        rows = [
            [
                index,
                item_cell(line.item, lang),
                line.batch_code or "—",
                local_text(line.expiry_date),
                line.location or "",
                number_text(line.quantity),
                unit_text(line.item, line.quantity, lang),
                number_text(line.weight_kg, 1),
            ]
            for index, line in enumerate(document.lines, start=1)
        ]
        totals = [
            "",
            totals_caption(document.lines, lang),
            "",
            "",
            "",
            number_text(document.total_quantity) if same_unit(document.lines, lang) else "",
            "",
            number_text(document.total_weight_kg, 1) + " kg",
        ]
        notes = _("Notes: %(notes)s", notes=document.notes) if document.notes else None
        story = [
            lines_table(columns, rows),
            closing(
                totals_table(columns, totals),
                notes,
                [_("Delivered by"), _("Received and checked by (keeper)")],
            ),
        ]
        spec = HeaderSpec(
            title=_("Receipt note"),
            number=document.number,
            qr_url=document.url,
            qr_caption=_("Scan to open the receipt and print its labels."),
            meta=[
                _("Received: %(date)s", date=local_text(document.date)),
                _("Received by: %(who)s", who=received_by or ""),
                _("Entered: %(when)s", when=local_text(document.recorded_at)),
            ],
            parties=[
                (_("Receiving depot"), party_lines(document.from_depot, None, lang)),
                (
                    _("Source of goods"),
                    [
                        " · ".join(str(part) for part in (document.source, document.supplier) if part),
                        _("Reference: %(ref)s", ref=document.reference or "—"),
                        "",
                    ],
                ),
            ],
        )
        return render_document(spec, story)
