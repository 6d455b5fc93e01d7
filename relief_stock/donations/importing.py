"""Donor import from XLSX, all or nothing, as the catalogue import: the header is checked, every row
is validated by DonorSchema and every problem reported as "row N, column X: message" before
anything is written. A donor already registered (same kind, name and phone), or twice in the file,
is refused by its row, so importing a file again creates nobody twice. The caller commits the lot in
one `atomic()`. The template is the first sheet's header, with a second sheet explaining it.
"""

import io

from flask_babel import gettext as _
from sqlalchemy import select

from ..catalogue.importing import read_table, validated_rows
from ..extensions import db
from ..spreadsheets import xlsx_safe
from . import operations
from .models import Donor, DonorKind
from .schemas import DonorSchema

COLUMNS = ("kind", "name", "contact_name", "phone", "email", "address", "may_name_publicly", "notes")
OPTIONAL_COLUMNS = set(COLUMNS) - {"kind", "name"}
# Chinese spreadsheets say 机构 / 个人 rather than the stored values.
KIND_WORDS = {"机构": DonorKind.ORGANISATION, "单位": DonorKind.ORGANISATION, "个人": DonorKind.INDIVIDUAL}
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _identity(kind, name, phone) -> tuple:
    return (str(kind), name.strip().casefold(), (phone or "").strip())


def import_donors(user, data: bytes, filename: str | None = None) -> int:
    """Validate the whole file, then register every donor in it. Flushes; never commits. Returns
    how many were registered; raises ImportRejected (422) naming every bad row, having written nothing."""
    table = read_table(data, filename)
    if table:
        header = [str(name).strip().lower() for name in table[0]]
        if "kind" in header:
            at = header.index("kind")
            table = [table[0]] + [
                [KIND_WORDS.get(cell.strip(), cell) if i == at else cell for i, cell in enumerate(row)]
                for row in table[1:]
            ]

    def twice(row, first):
        return "name", _("The same donor is also in row %(row)d.", row=first)

    known = {
        _identity(kind, name, phone)
        for kind, name, phone in db.session.execute(select(Donor.kind, Donor.name, Donor.phone))
    }

    def registered(row):
        if _identity(row["kind"], row["name"], row.get("phone")) in known:
            return "name", _("Donor %(name)s is already registered.", name=row["name"])
        return None

    rows = validated_rows(
        table,
        COLUMNS,
        DonorSchema(),
        OPTIONAL_COLUMNS,
        lambda row: _identity(row["kind"], row["name"], row.get("phone")),
        twice,
        registered,
    )
    for row in rows:
        operations.register_donor(user, **row)
    return len(rows)


def template_xlsx() -> bytes:
    """An empty donor sheet with the import's columns, and a sheet saying what goes in each."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "donors"
    sheet.append(list(COLUMNS))
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("help")
    explained = {
        "kind": _("organisation or individual (机构 / 个人)"),
        "name": _("The donor's full name (required)"),
        "contact_name": _("Contact person"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "address": _("Address"),
        "may_name_publicly": _("yes: the public trace names the donor; no: it says Anonymous donor"),
        "notes": _("Notes for staff"),
    }
    for column in COLUMNS:
        help_sheet.append([column, xlsx_safe(help_sheet, explained[column])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
