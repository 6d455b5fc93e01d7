"""Spreadsheets in and out, safely: the one XLSX reader of every import and the formula guard of
every export (catalogue import/export, norm import, stock exports).

Reading: an XLSX is a zip of XML. Before openpyxl sees it the archive is checked: at most
MAX_MEMBERS files, at most `max_bytes` once uncompressed (a 2 MB zip can unpack to gigabytes), and
no XML part may carry a DTD (entity expansion). Rows are then read in read-only mode, at most
`max_rows` of at most MAX_COLUMNS cells; anything openpyxl cannot parse is refused as unreadable.

Writing: a text cell that starts with = + - @ (or a tab or carriage return) is a formula to Excel
and LibreOffice, so an item named "=HYPERLINK(...)" would run when a province officer opens the
export. CSV cells get a leading apostrophe (the convention spreadsheets show as text); XLSX cells
are stored with the string type, so the text is kept exactly and never evaluated.
"""

import io
import re
import zipfile

from flask_babel import gettext as _

from .errors import BadInput

MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED = 16 * 1024 * 1024
MAX_COLUMNS = 64
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _unreadable() -> BadInput:
    return BadInput(_("The XLSX file cannot be read."), field="file")


def check_archive(data: bytes, max_bytes: int = MAX_UNCOMPRESSED) -> None:
    """Refuse (BadInput) a workbook that is no zip, unpacks too large, or declares a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable() from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > max_bytes:
            raise BadInput(
                _("The XLSX file unpacks to more than %(mb)d MB.", mb=max_bytes // (1024 * 1024)),
                field="file",
            )
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                # zipfile never returns more than the declared (and checked) size of a member.
                content = archive.read(member)
            except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
                raise _unreadable() from None
            if _DTD.search(content):
                raise BadInput(_("The XLSX file declares a DTD, which is not allowed."), field="file")


def read_xlsx(data: bytes, max_rows: int, max_bytes: int = MAX_UNCOMPRESSED) -> list[tuple]:
    """The first sheet's rows (tuples of cell values), header included; BadInput when the file is
    unsafe, unreadable or has more than `max_rows` rows after the header."""
    from openpyxl import load_workbook

    check_archive(data, max_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ParseError, TypeError ...) for bad parts
        raise _unreadable() from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        for row in sheet.iter_rows(values_only=True, max_col=width):
            while row and row[-1] is None:  # padding up to the sheet's width, not data
                row = row[:-1]
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise BadInput(_("Too many rows (at most %(max)d).", max=max_rows), field="file")
        return rows
    except BadInput:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        workbook.close()


def csv_safe(value):
    """A CSV cell that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_safe(sheet, value):
    """An XLSX cell for `value`: text that looks like a formula is stored as text (write-only
    sheets take the returned cell; other values pass through unchanged)."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
