"""Stock tables as files: the same rows a stock page shows, as CSV or XLSX, with headers in the
user's language (Chinese headers for a Chinese UI), so the province office can paste the 全省底数
into its report without retyping.

A table is a list of `ExportColumn`s (a translated header and how to read a value from a row) and the rows.
CSV is UTF-8 with a byte-order mark, which Excel needs to show Chinese; XLSX is written with openpyxl
in write-only mode, which streams rows instead of building the whole sheet in memory. Text that a
spreadsheet would run as a formula is neutralised (`spreadsheets.py`).
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response

from ..spreadsheets import csv_safe, xlsx_safe

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportColumn:
    header: Any  # a lazy translated string
    value: Callable[[Any], Any]
    width: int = 14  # characters, for the XLSX column


def _cell(value):
    """Numbers stay numbers; dates become ISO dates; labels (lazy strings, enums) become text."""
    if isinstance(value, Decimal):  # PostgreSQL's SUM over integers
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, (int, float, date, datetime)):
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        return value
    if hasattr(value, "label"):
        return str(value.label)
    return str(value)


def to_csv(columns: list[ExportColumn], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.header) for column in columns])
    for row in rows:
        writer.writerow(
            [
                ""
                if (v := _cell(column.value(row))) is None
                else v.isoformat()
                if isinstance(v, (date, datetime))
                else csv_safe(v)
                for column in columns
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(columns: list[ExportColumn], rows, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = []
        for column in columns:
            value = _cell(column.value(row))
            if isinstance(value, date) and not isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                value = cell
            values.append(xlsx_safe(sheet, value))
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel refuses these characters and titles over 31 characters.
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "stock"


def export_response(fmt: str, columns: list[ExportColumn], rows, filename: str, title: str) -> Response:
    """The table as a download; `filename` without extension (ASCII, it goes into a header)."""
    body = to_xlsx(columns, rows, title) if fmt == "xlsx" else to_csv(columns, rows)
    response = Response(body, mimetype=FORMATS[fmt].split(";")[0])
    response.headers["Content-Type"] = FORMATS[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
