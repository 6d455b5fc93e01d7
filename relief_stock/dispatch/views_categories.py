"""Relief categories page: every category with its standard and the items that fill it, in
preference order; administrators edit a category in one form or import a categories file."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..catalogue.importing import ImportRejected
from ..errors import BadInput, NotFound
from ..form_posts import submit
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

    def work():
        rows = categories.import_file(current_user, upload.read(), upload.filename)
        return url_for("dispatch.categories_page"), _("%(n)d rows imported.", n=rows)

    try:
        return submit(work)
    except ImportRejected as error:
        return categories_page(error.problems)


@bp.post("/categories/<code>")
@requires(Action.MANAGE_CATALOGUE)
def edit_category(code):
    """Save a category's amount, priority and every item's rank and coverage (one submit)."""
    category = categories.category_by_code(code)
    if category is None:
        raise NotFound(_("Unknown category %(code)s.", code=code))

    def work():
        members = {
            m.id: (_number(f"rank_{m.id}", int), _number(f"coverage_{m.id}", float)) for m in category.members
        }
        categories.update_category(
            current_user,
            category,
            amount=_number("amount", float),
            priority=_number("priority", int),
            members=members,
        )
        return url_for("dispatch.categories_page") + f"#{code}", _("Category %(code)s saved.", code=code)

    return submit(work)


def _number(field, kind):
    raw = (request.form.get(field) or "").strip()
    try:
        value = kind(raw)
    except ValueError:
        raise BadInput(_("Enter a number."), field=field) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadInput(_("Enter a number."), field=field)
    return value
