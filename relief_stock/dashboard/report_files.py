"""A `reports.Report` as a file: XLSX (openpyxl, numbers stay numbers) or PDF (the printing domain's
A4 document with the embedded Chinese font), in Chinese or English whatever the reader's UI says.

`render(build, fmt, lang)` calls `build()` under the chosen locale, so captions, item and depot
names and the scope's label all come out in that language.
"""

import io
from dataclasses import replace
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..printing import documents
from ..spreadsheets import xlsx_safe

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render(build, fmt: str, lang: str, link: str = ""):
    """(report, file bytes): `build()` makes the Report under `lang`, then it is written as `fmt`;
    `link` (a path) is printed on the PDF as a QR code back to the reports page."""
    with force_locale(lang):
        report = build()
        report.link = link
        body = to_xlsx(report) if fmt == "xlsx" else to_pdf(report)
    return report, body


def to_xlsx(report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = report.kind
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([report.scope_label])
    sheet.append([report.period])
    sheet.append([])
    sheet.append([str(column.caption) for column in report.columns])
    head = sheet.max_row
    for cell in sheet[head]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append([xlsx_safe(sheet, value) for value in row])  # names typed by staff stay text
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = f"A{head + 1}"
    for index, column in enumerate(report.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.xlsx_width
    if report.notes:
        sheet.append([])
        for note in report.notes:
            sheet.append([note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(report) -> bytes:
    from reportlab.platypus import Spacer

    columns = [replace(c, caption=str(c.caption)) for c in report.columns]
    rows = [[_text(value) for value in row] for row in report.rows]
    story = [documents.lines_table(columns, rows) if rows else documents.paragraph(_("Nothing to report."))]
    for note in report.notes:
        story += [Spacer(1, 6), documents.paragraph(note)]
    base = current_app.config.get("PUBLIC_BASE_URL", "")
    spec = documents.HeaderSpec(
        title=report.title,
        number=report.period,
        qr_url=base + report.link,
        qr_caption=report.scope_label,
        meta=[report.scope_label],
    )
    return documents.render_document(spec, story)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
