"""Catalogue pages: the item list (filter by category, search in both languages), one item, the
admin forms, and CSV/XLSX import and export. Thin: schemas read input, operations write."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..database import atomic
from ..errors import ReliefError
from ..fields import read_form
from . import importing, operations, queries
from .models import Category
from .schemas import ItemQuerySchema, ItemSchema, ItemUpdateSchema

bp = Blueprint("catalogue", __name__, url_prefix="/items")


@bp.get("/")
@requires(Action.VIEW)
def index():
    """The catalogue, filtered by category and searched by SKU or name (Chinese or English)."""
    filters, errors = read_form(ItemQuerySchema(), request.args, checkboxes=False)
    items = queries.list_items(**filters) if not errors else []
    return render_template(
        "catalogue/index.html",
        items=items,
        filters=request.args,
        errors=errors,
        categories=_category_options(),
        can_manage=can(current_user, Action.MANAGE_CATALOGUE),
    )


def _category_options():
    return [(category.value, category.label) for category in Category]


@bp.get("/<sku>")
@requires(Action.VIEW)
def item(sku):
    """One item: names, unit, weight and volume, shelf life."""
    return render_template(
        "catalogue/item.html",
        item=queries.item_by_sku(sku),
        can_manage=can(current_user, Action.MANAGE_CATALOGUE),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.MANAGE_CATALOGUE)
def create_item():
    """Add an item (administrators)."""
    values, errors = {"is_active": True, "min_remaining_shelf_life_days": 0}, {}
    if request.method == "POST":
        values = request.form
        data, errors = read_form(ItemSchema(), request.form)
        if not errors:
            try:
                with atomic():
                    created = operations.create_item(**data)
                flash(_("Item %(sku)s created.", sku=created.sku), "success")
                return redirect(url_for("catalogue.item", sku=created.sku))
            except ReliefError as error:
                errors = error.errors or {"_": [error.message]}
    return _form_page(None, values, errors)


@bp.route("/<sku>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_CATALOGUE)
def edit_item(sku):
    """Edit an item (administrators); the SKU stays."""
    existing = queries.item_by_sku(sku)
    values, errors = ItemSchema().dump(existing), {}
    if request.method == "POST":
        values = request.form
        data, errors = read_form(ItemUpdateSchema(), request.form)
        if not errors:
            with atomic():
                operations.update_item(existing, **data)
            flash(_("Item %(sku)s saved.", sku=sku), "success")
            return redirect(url_for("catalogue.item", sku=sku))
    return _form_page(existing, values, errors)


def _form_page(existing, values, errors):
    return render_template(
        "catalogue/item_form.html",
        item=existing,
        values=values,
        errors=errors,
        categories=_category_options(),
    ), 422 if errors else 200


@bp.route("/import", methods=["GET", "POST"])
@requires(Action.MANAGE_CATALOGUE)
def import_items():
    """Upload a CSV or XLSX catalogue: all rows are checked first; any problem imports nothing."""
    problems, result = [], None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            problems = [_("Choose a CSV or XLSX file.")]
        else:
            try:
                with atomic():
                    result = importing.import_catalogue(upload.read(), upload.filename)
            except importing.ImportRejected as error:
                problems = error.problems
    status = 422 if problems else 200
    return render_template(
        "catalogue/import.html", problems=problems, result=result, columns=importing.COLUMNS
    ), status


@bp.get("/export.<kind>")
@requires(Action.VIEW)
def export_items(kind):
    """The whole catalogue as CSV or XLSX, in the columns the import reads."""
    if kind not in importing.EXPORT_TYPES:
        abort(404)
    return download(kind)


def download(kind: str) -> Response:
    """The catalogue export as a file download (shared with the API)."""
    body, mimetype = importing.export_catalogue(queries.list_items(), kind)
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="catalogue.{kind}"'}
    )
