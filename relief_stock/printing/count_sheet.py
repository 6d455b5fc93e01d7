"""The count sheet (盘点表) of a stocktake: one A4 list per count, for counting on paper where no phone
or scanner is at hand, signed by who counted and who checked.

Rows are every batch the count covers, sorted by location then code, with an empty box to write the
count in; a blind count prints no book quantity. The header's QR code opens the counted location (or
the count, for a whole depot). Plain data in (`CountSheet`), PDF out, like the other documents.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from .documents import (
    Column,
    HeaderSpec,
    closing,
    lines_table,
    local_text,
    number_text,
    render_document,
    two_line_cell,
)


@dataclass(frozen=True)
class CountRow:
    location: str | None
    batch_code: str
    name_zh: str
    name_en: str
    sku: str
    unit_zh: str
    unit_en: str
    expiry_date: object
    book_quantity: int


@dataclass
class CountSheet:
    number: str  # "盘点 12"-style reference: the stocktake id
    depot_name: str
    location: str | None
    opened_at: datetime
    is_blind: bool
    qr_url: str
    rows: list[CountRow] = field(default_factory=list)


def render_count_sheet(sheet: CountSheet, lang: str = "zh") -> bytes:
    with force_locale(lang):
        columns = [
            Column("#", 8, "RIGHT"),
            Column(_("Location"), 20),
            Column(_("Batch code"), 38),
            Column(_("Item name"), 50),
            Column(_("Expiry date"), 18),
            Column(_("Book"), 14, "RIGHT"),
            Column(_("Counted"), 16, "CENTER"),
            Column(_("Note"), 18),
        ]
        rows = [
            [
                index,
                row.location or "—",
                row.batch_code,
                two_line_cell(
                    row.name_en if lang == "en" else row.name_zh,
                    f"{row.name_zh if lang == 'en' else row.name_en} · {row.sku} · "
                    f"{row.unit_en if lang == 'en' else row.unit_zh}",
                ),
                local_text(row.expiry_date),
                "" if sheet.is_blind else number_text(row.book_quantity),
                "",
                "",
            ]
            for index, row in enumerate(
                sorted(sheet.rows, key=lambda r: (r.location or "", r.batch_code)), start=1
            )
        ]
        meta = [sheet.depot_name, sheet.location or _("Whole depot"), local_text(sheet.opened_at)]
        if sheet.is_blind:
            meta.append(_("Blind count: book quantities are not printed."))
        spec = HeaderSpec(
            title=_("Count sheet"),
            number=_("Count %(id)s", id=sheet.number),
            qr_url=sheet.qr_url,
            qr_caption=_("Scan to open the location.") if sheet.location else _("Scan to open the count."),
            meta=meta,
            fields=[(_("Counting started"), ""), (_("Counting finished"), "")],
        )
        story = [lines_table(columns, rows), closing(None, None, [_("Counted by"), _("Checked by")])]
        return render_document(spec, story)
