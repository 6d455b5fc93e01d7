"""Import reserve norms from an XLSX sheet: all rows or none, every bad row named by its number.

Sheet layout (first sheet, header row first, column order free):
    sku | depot | tier | quantity
`depot` (a depot code) sets that depot's own norm; `tier` (province, city or county) sets the norm of
every depot of the tier; exactly one of the two per row. An empty quantity removes the norm.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from ..catalogue.models import Item
from ..errors import BadInput, ReliefError
from ..extensions import db
from ..network.models import Depot, Tier
from ..spreadsheets import read_xlsx
from .operations import set_norm

COLUMNS = ("sku", "depot", "tier", "quantity")
MAX_ROWS = 100_000


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """[(row number, {column: text})] from the first sheet; BadInput when it is no XLSX or lacks columns."""
    if not data.startswith(b"PK"):
        raise BadInput(_("This file is not an Excel workbook (.xlsx)."), field="file")
    rows = iter(read_xlsx(data, MAX_ROWS))
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    missing = [name for name in ("sku", "quantity") if name not in header]
    if missing or ("depot" not in header and "tier" not in header):
        raise BadInput(
            _("The first row must name the columns sku, depot or tier, and quantity."), field="file"
        )
    result = []
    for number, cells in enumerate(rows, start=2):
        values = {
            name: cells[header.index(name)] if name in header and header.index(name) < len(cells) else None
            for name in COLUMNS
        }
        if all(value in (None, "") for value in values.values()):
            continue
        result.append((number, values))
        if len(result) > MAX_ROWS:
            raise BadInput(_("Too many rows (at most %(max)d).", max=MAX_ROWS), field="file")
    return result


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def _quantity(value):
    text = _text(value)
    if text == "":
        return None
    if not text.isdigit():
        raise BadInput(_("quantity %(value)s is not a whole number of zero or more.", value=text))
    return int(text)


def import_norms(user, data: bytes) -> int:
    """Apply every row of the sheet, or raise BadInput listing each bad row ("row 7: ...") and apply
    none. Flushes only; the caller's atomic() makes it all-or-nothing. Returns the rows applied."""
    rows = read_rows(data)
    items = {i.sku: i for i in db.session.scalars(select(Item))}
    depots = {d.code: d for d in db.session.scalars(select(Depot))}
    errors: dict[str, list[str]] = {}
    first_error = None
    for number, values in rows:
        try:
            sku, code, tier = _text(values["sku"]), _text(values["depot"]), _text(values["tier"]).lower()
            if sku not in items:
                raise BadInput(_("unknown item %(sku)s", sku=sku or "-"))
            if bool(code) == bool(tier):
                raise BadInput(_("give either a depot code or a tier, not both or neither"))
            if code and code not in depots:
                raise BadInput(_("unknown depot %(code)s", code=code))
            if tier and tier not in {t.value for t in Tier}:
                raise BadInput(_("unknown tier %(tier)s (province, city or county)", tier=tier))
            # set_norm checks everything before it writes, so a refused row leaves nothing behind.
            set_norm(
                user,
                items[sku],
                _quantity(values["quantity"]),
                depot=depots.get(code),
                tier=Tier(tier) if tier else None,
            )
        except ReliefError as error:
            errors[f"row {number}"] = [error.message]  # a stable key for API clients; messages translated
            first_error = first_error or (number, error.message)
    if errors:
        raise BadInput(
            _(
                "%(count)d rows have errors; nothing was imported. First: %(row)s: %(message)s",
                count=len(errors),
                row=_("row %(number)d", number=first_error[0]),
                message=first_error[1],
            ),
            errors=errors,
        )
    return len(rows)
