"""Relief categories as data: the defaults shipped with the demo catalogue, import, and the shapes
the planner and the needs estimate read.

Two files, both all-or-nothing on import (every bad row named as "row N, column X: ..."):
`relief_categories.csv` (code, names, unit of need, standard amount per basis, priority, the
standard's text and its source) and `category_items.csv` (category, sku, preference rank, coverage
of one unit in the category's unit, and why). The defaults in dispatch/data/ cite Sphere, IFRC,
UNHCR and the MCA tent standards; `flask demo load` loads them and `flask dispatch import-categories`
or the admin page replaces them. An import changes only the categories and items its file names.
"""

import math
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from ..audit import operations as audit
from ..auth.permissions import Action, require
from ..catalogue.importing import ImportRejected, read_table
from ..catalogue.models import Item
from ..errors import BadInput
from ..extensions import db
from . import needs
from .models import CategoryMember, ReliefCategory
from .schemas import CategoryItemRowSchema, CategoryRowSchema
from .substitution import Category, Member

DATA = Path(__file__).resolve().parent / "data"
CATEGORY_COLUMNS = tuple(CategoryRowSchema().fields)
ITEM_COLUMNS = tuple(CategoryItemRowSchema().fields)


def all_categories() -> list[ReliefCategory]:
    return list(
        db.session.scalars(select(ReliefCategory).order_by(ReliefCategory.position, ReliefCategory.id))
    )


def category_by_code(code: str) -> ReliefCategory | None:
    return db.session.scalar(select(ReliefCategory).where(ReliefCategory.code == code))


def for_planner(categories) -> list[Category]:
    """The planner's view of categories: active items in preference order with their coverage."""
    return [
        Category(
            c.code,
            tuple(Member(m.item.sku, float(m.coverage)) for m in c.members if m.item.is_active),
        )
        for c in categories
    ]


def text(category: ReliefCategory, field: str) -> str:
    """A category's name, unit or standard in the interface language."""
    zh = str(get_locale() or "zh").startswith("zh")
    return getattr(category, f"{field}_zh" if zh else f"{field}_en")


def estimate(category: ReliefCategory, population: int, households: int, days: int) -> int:
    """Need units for a site, rounded up (a shelter does not get 0.4 of a household's tent)."""
    measure = needs.base_count(category.basis, population, households, days) * category.amount
    return math.ceil(round(measure, 9)) if measure else 0


def load_defaults(actor) -> str:
    """The shipped categories and their items (the demo catalogue must be loaded first)."""
    created = import_file(actor, (DATA / "relief_categories.csv").read_bytes(), "relief_categories.csv")
    members = import_file(actor, (DATA / "category_items.csv").read_bytes(), "category_items.csv")
    return f"{created} relief categories, {members} category items"


def import_file(actor, data: bytes, filename: str | None = None) -> int:
    """Import a categories file or a category items file (told apart by their header). Flushes;
    never commits. Returns the rows written; raises ImportRejected naming every problem. The audit
    log gets one entry for the file."""
    require(actor, Action.MANAGE_CATALOGUE)
    table = read_table(data, filename)
    if not table:
        raise ImportRejected([_("The file is empty.")])
    header = [str(name).strip().lower() for name in table[0]]
    if "category" in header:
        rows = _parse(table, header, CategoryItemRowSchema(), ITEM_COLUMNS, key=("category", "sku"))
        written = _write_members(rows)
    else:
        rows = _parse(table, header, CategoryRowSchema(), CATEGORY_COLUMNS, key=("code",))
        written = _write_categories(rows)
    audit.record(actor, "category.import", filename or "-", None, str(written))
    return written


def _parse(table, header, schema, columns, key) -> list[tuple[int, dict]]:
    problems = [
        _("Missing column %(column)s.", column=c) for c in columns if c not in header and c != "source"
    ]
    problems += [_("Unknown column %(column)s.", column=c or "?") for c in header if c not in columns]
    if problems:
        raise ImportRejected(problems)
    rows, seen = [], {}
    for number, cells in enumerate(table[1:], start=2):
        values = {k: str(v).strip() for k, v in zip(header, cells) if str(v).strip() != ""}
        if not values:
            continue
        try:
            row = schema.load(values)
        except ValidationError as error:
            problems += [
                _row_problem(number, column, " ".join(map(str, messages)))
                for column, messages in sorted(error.messages.items())
            ]
            continue
        k = tuple(row[name] for name in key)
        if k in seen:
            problems.append(_row_problem(number, key[-1], _("Also in row %(row)d.", row=seen[k])))
        seen.setdefault(k, number)
        rows.append((number, row))
    if problems:
        raise ImportRejected(problems)
    return rows


def _row_problem(number, column, message) -> str:
    return _("row %(row)d, column %(column)s: %(message)s", row=number, column=column, message=message)


def _write_categories(rows) -> int:
    position = len(all_categories())
    for _number, row in rows:
        category = category_by_code(row["code"])
        if category is None:
            position += 1
            category = ReliefCategory(code=row["code"], position=position)
            db.session.add(category)
        for name, value in row.items():
            setattr(category, name, value)
    db.session.flush()
    return len(rows)


def _write_members(rows) -> int:
    codes = {c.code: c for c in all_categories()}
    skus = {row["sku"] for _n, row in rows}
    items = {i.sku: i for i in db.session.scalars(select(Item).where(Item.sku.in_(skus)))}
    problems = []
    for number, row in rows:
        if row["category"] not in codes:
            problems.append(
                _row_problem(number, "category", _("Unknown category %(code)s.", code=row["category"]))
            )
        if row["sku"] not in items:
            problems.append(_row_problem(number, "sku", _("Unknown item %(sku)s.", sku=row["sku"])))
    if problems:
        raise ImportRejected(problems)
    for _number, row in rows:
        category, item = codes[row["category"]], items[row["sku"]]
        member = next((m for m in category.members if m.item_id == item.id), None)
        if member is None:
            member = CategoryMember(category_id=category.id, item_id=item.id)
            db.session.add(member)
        member.rank, member.coverage, member.source = row["rank"], row["coverage"], row["source"]
    db.session.flush()
    for category in codes.values():
        db.session.refresh(category, ["members"])
    return len(rows)


def update_category(actor, category: ReliefCategory, *, amount: float, priority: int, members: dict) -> None:
    """Change a category's standard amount and priority and its items' rank and coverage in one go
    (`members`: {member id: (rank, coverage)}); BadInput naming the first bad value, nothing written.
    The audit log gets the category's figures before and after."""
    require(actor, Action.MANAGE_CATALOGUE)
    if not 0 <= amount <= 1_000_000:
        raise BadInput(
            _("Enter a value between %(low)s and %(high)s.", low=0, high="1,000,000"), field="amount"
        )
    if priority not in (1, 2, 3):
        raise BadInput(_("Priority is 1, 2 or 3."), field="priority")
    by_id = {m.id: m for m in category.members}
    for member_id, (rank, coverage) in members.items():
        if member_id not in by_id:
            raise BadInput(_("Unknown category item %(id)s.", id=member_id), field=f"coverage_{member_id}")
        if not 0 < coverage <= 1_000_000:
            raise BadInput(_("Enter a number above 0."), field=f"coverage_{member_id}")
        if not 1 <= rank <= 99:
            raise BadInput(
                _("Enter a value between %(low)s and %(high)s.", low=1, high=99), field=f"rank_{member_id}"
            )
    before = _figures(category)
    category.amount, category.priority = amount, priority
    for member_id, (rank, coverage) in members.items():
        by_id[member_id].rank, by_id[member_id].coverage = rank, coverage
    db.session.flush()
    db.session.refresh(category, ["members"])
    audit.record(actor, "category.set", category.code, before, _figures(category))


def _figures(category: ReliefCategory) -> str:
    """A category as the audit log shows it: `2 per person, P1; QUILT #1 x1, BLANKET #2 x0.5`."""
    members = ", ".join(f"{m.item.sku} #{m.rank} x{m.coverage:g}" for m in category.members)
    return f"{category.amount:g} per {category.basis}, P{category.priority}; {members}"
