"""Relief categories page: every category with its standard and the items that fill it, in
preference order; administrators edit a category in one form or import a categories file."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..catalogue.importing import ImportRejected
from ..database import atomic
from ..errors import BadInput, NotFound
from . import categories
from .views import bp


@bp.get("/categories")
@requires(Action.VIEW)
def categories_page(problems=None):
    """The categories in force, with sources; the edit and import forms for administrators."""
    return render_template(
        "dispatch/categories.html",
        categories=categories.all_categories(),
        text=categories.text,
        may_edit=can(current_user, Action.MANAGE_CATALOGUE),
        problems=problems or [],
    ), (422 if problems else 200)


@bp.post("/categories/import")
@requires(Action.MANAGE_CATALOGUE)
def import_categories():
    """Upload relief_categories.csv or category_items.csv (CSV or XLSX): all rows or none."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return categories_page([_("Choose a CSV or XLSX file.")])
    try:
        with atomic():
            rows = categories.import_file(upload.read(), upload.filename)
    except ImportRejected as error:
        return categories_page(error.problems)
    flash(_("%(n)d rows imported.", n=rows), "success")
    return redirect(url_for("dispatch.categories_page"))


@bp.post("/categories/<code>")
@requires(Action.MANAGE_CATALOGUE)
def edit_category(code):
    """Save a category's amount, priority and every item's rank and coverage (one submit)."""
    category = categories.category_by_code(code)
    if category is None:
        raise NotFound(_("Unknown category %(code)s.", code=code))
    members = {
        m.id: (_number(f"rank_{m.id}", int), _number(f"coverage_{m.id}", float)) for m in category.members
    }
    with atomic():
        categories.update_category(
            category, amount=_number("amount", float), priority=_number("priority", int), members=members
        )
    flash(_("Category %(code)s saved.", code=code), "success")
    return redirect(url_for("dispatch.categories_page") + f"#{code}")


def _number(field, kind):
    raw = (request.form.get(field) or "").strip()
    try:
        value = kind(raw)
    except ValueError:
        raise BadInput(_("Enter a number."), field=field) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadInput(_("Enter a number."), field=field)
    return value
