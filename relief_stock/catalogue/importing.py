"""Catalogue import and export as CSV and XLSX (openpyxl).

An import is all or nothing: the header is checked, every row is validated by ItemSchema, and any
problem is reported as "row N, column X: message" (rows numbered as a spreadsheet shows them, the
header being row 1) before anything is written. A clean file then updates the items whose SKU
exists and creates the others; the caller commits the lot in one `atomic()`. Export writes the same
columns, so an exported file imports back unchanged.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from marshmallow import ValidationError

from ..audit import operations as audit
from ..auth.permissions import Action, require
from ..errors import BadInput
from ..spreadsheets import csv_safe, read_xlsx, xlsx_safe
from . import operations, queries
from .schemas import ItemSchema

COLUMNS = ("sku", *operations.ITEM_FIELDS)  # the file's columns: the SKU, then every item field
OPTIONAL_COLUMNS = {"is_active"}  # files made before the flag existed (and the demo file) lack it
MAX_ROWS = 10_000
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_MAGIC = b"PK\x03\x04"


class ImportRejected(BadInput):
    """The file was refused as a whole; `errors["file"]` lists every problem found."""

    def __init__(self, problems: list[str]):
        super().__init__(
            _("The file has %(n)d problem(s); nothing was imported.", n=len(problems)),
            errors={"file": problems},
        )
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def import_catalogue(actor, data: bytes, filename: str | None = None) -> ImportResult:
    """Validate the whole file, then create or update every item in it. Flushes; never commits.

    Raises ImportRejected (422) listing every bad row and column, having written nothing. The audit
    log gets one entry for the file, not one per row.
    """
    require(actor, Action.MANAGE_CATALOGUE)
    rows = parse_catalogue(data, filename)
    existing = queries.items_by_sku([row["sku"] for row in rows])
    created = updated = 0
    for row in rows:
        item = existing.get(row["sku"])
        if item is None:
            operations.add_item(**row)
            created += 1
        else:
            operations.change_item(item, **{k: v for k, v in row.items() if k != "sku"})
            updated += 1
    audit.record(actor, "catalogue.import", filename or "-", None, f"+{created} ~{updated}")
    return ImportResult(created, updated)


def parse_catalogue(data: bytes, filename: str | None = None) -> list[dict]:
    """The validated rows of a catalogue file, or ImportRejected naming every problem."""

    def twice(row, first):
        return "sku", _("SKU %(sku)s is also in row %(row)d.", sku=row["sku"], row=first)

    table = read_table(data, filename)
    return validated_rows(table, COLUMNS, ItemSchema(), OPTIONAL_COLUMNS, lambda row: row["sku"], twice)


def validated_rows(
    table, columns, schema, optional_columns=(), key=None, twice=None, refuse=None
) -> list[dict]:
    """Every row of `table` (header first) loaded through `schema`, or ImportRejected listing each
    problem as "row N, column X: message". Rows with the same `key(row)` are refused after the
    first, with the (column, message) that `twice(row, first row number)` gives; `refuse(row)` may
    refuse a well-formed row with a (column, message)."""
    if not table:
        raise ImportRejected([_("The file is empty.")])
    header = [str(name).strip().lower() for name in table[0]]
    problems = _header_problems(header, columns, optional_columns)
    if problems:
        raise ImportRejected(problems)
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise ImportRejected([_("The file has more than %(n)d rows.", n=MAX_ROWS)])
    rows, first_row_of = [], {}
    for number, cells in enumerate(body, start=2):
        values = dict(zip(header, cells))
        if not any(str(value).strip() for value in values.values()):
            continue  # blank lines in a spreadsheet are not rows
        blank_dropped = {k: v for k, v in values.items() if str(v).strip() != ""}
        try:
            row = schema.load(blank_dropped)
        except ValidationError as error:
            problems += [
                _row_problem(number, column, message)
                for column, messages in sorted(error.messages.items())
                for message in _flatten(messages)
            ]
            continue
        identity = key(row) if key else None
        if identity is not None and identity in first_row_of:
            problems.append(_row_problem(number, *twice(row, first_row_of[identity])))
            continue
        refused = refuse(row) if refuse else None
        if refused:
            problems.append(_row_problem(number, *refused))
            continue
        first_row_of[identity] = number
        rows.append(row)
    if problems:
        raise ImportRejected(problems)
    return rows


def _header_problems(header: list[str], columns, optional_columns) -> list[str]:
    problems = [
        _("Missing column %(column)s.", column=column)
        for column in columns
        if column not in header and column not in optional_columns
    ]
    problems += [
        _("Unknown column %(column)s.", column=column or "?") for column in header if column not in columns
    ]
    problems += [
        _("Column %(column)s appears twice.", column=column)
        for column in sorted(set(header))
        if header.count(column) > 1
    ]
    return problems


def _row_problem(number: int, column: str, message) -> str:
    return _("row %(row)d, column %(column)s: %(message)s", row=number, column=column, message=message)


def _flatten(messages):
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flatten(value)]
    return list(messages) if isinstance(messages, list) else [messages]


def read_table(data: bytes, filename: str | None = None) -> list[list[str]]:
    """Rows of cell strings from an XLSX (recognised by its content) or a CSV file."""
    if data.startswith(XLSX_MAGIC) or (filename or "").lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> list[list[str]]:
    # UTF-8 (with or without Excel's BOM) first; Chinese Excel saves CSV as GB18030 by default.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected([_("The file is neither UTF-8 nor GB18030 text.")])
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise ImportRejected([_("The CSV file cannot be read: %(error)s", error=str(error))]) from error


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        rows = read_xlsx(data, MAX_ROWS)
    except BadInput as error:
        raise ImportRejected([error.message]) from None
    return [[_cell_text(value) for value in row] for row in rows]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def export_rows(items):
    """The header, then one row per item, as plain values in COLUMNS order."""
    yield list(COLUMNS)
    for item in items:
        yield [
            item.sku,
            item.name_zh,
            item.name_en,
            item.category.value,
            item.unit_zh,
            item.unit_en,
            item.unit_weight_kg,
            item.unit_volume_m3,
            _yes_no(item.is_perishable),
            item.shelf_life_months,
            item.min_remaining_shelf_life_days,
            item.notes or "",
            _yes_no(item.is_active),
        ]


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def export_catalogue(items, kind: str) -> tuple[bytes, str]:
    """The file body and its media type, for kind "csv" or "xlsx"."""
    body = export_csv(items) if kind == "csv" else export_xlsx(items)
    return body, EXPORT_TYPES[kind]


def export_csv(items) -> bytes:
    """UTF-8 with a BOM, so that Excel on a Chinese Windows opens the names correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in export_rows(items):
        writer.writerow(["" if value is None else csv_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(items) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "catalogue"
    for row in export_rows(items):
        sheet.append([xlsx_safe(sheet, value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
