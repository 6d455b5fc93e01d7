"""The picking list (拣货单) for the issuing depot: what to take from which shelf for a transfer.

Rows are sorted by location so the keeper walks the aisles once; within an item the batches are the
FEFO choice (earliest expiry first, see stock.rules.fefo_plan) unless picks were already recorded,
which are printed as they are. What no batch covers is listed apart, so a shortfall is seen before
the truck waits for it.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from .data import Document
from .documents import (
    Column,
    cell,
    closing,
    lines_table,
    local_text,
    number_text,
    paragraph,
    render_document,
    totals_table,
)
from .manifest import item_cell, transfer_header, unit_room
from .units import same_unit, totals_caption, unit_text


def render_picking_list(document: Document, lang: str = "zh") -> bytes:
    extra = unit_room(lang)
    with force_locale(lang):
        columns = [
            Column("#", 8, "RIGHT"),
            Column(_("Location"), 22),
            Column(_("Batch code"), 38),
            Column(_("Item name"), 58 - extra),
            Column(_("Expiry date"), 18),
            Column(_("Quantity to pick"), 16, "RIGHT"),
            Column(_("Unit"), 10 + extra),
            Column(_("Picked"), 12, "CENTER"),
        ]
        rows = [
            [
                index,
                cell(line.location or _("(no location)"), 9, bold=True),
                line.batch_code or "—",
                item_cell(line.item, lang),
                local_text(line.expiry_date),
                number_text(line.quantity),
                unit_text(line.item, line.quantity, lang),
                "□",
            ]
            for index, line in enumerate(document.lines, start=1)
        ]
        totals = [
            "",
            "",
            "",
            totals_caption(document.lines, lang),
            "",
            number_text(document.total_quantity) if same_unit(document.lines, lang) else "",
            "",
            "",
        ]
        story = [lines_table(columns, rows), totals_table(columns, totals)]
        if document.shortfalls:
            story.append(paragraph(_("Not covered by any issuable batch:"), 9, bold=True))
            story.append(
                lines_table(
                    [Column(_("Item name"), 120), Column(_("Short"), 30, "RIGHT"), Column(_("Unit"), 32)],
                    [
                        [
                            item_cell(line.item, lang),
                            number_text(line.quantity),
                            unit_text(line.item, line.quantity, lang),
                        ]
                        for line in document.shortfalls
                    ],
                )
            )
        story.append(closing(None, None, [_("Picked by"), _("Checked by")]))
        spec = transfer_header(document, _("Picking list"), lang, _("Scan to open the transfer."))
        spec.fields = [(_("Picking started"), ""), (_("Picking finished"), "")]
        return render_document(spec, story)
