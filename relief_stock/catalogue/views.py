"""Catalogue pages: the item list (filter by category, search in both languages), one item, the
admin forms, and CSV/XLSX import and export. Thin: schemas read input, operations write, and every
post runs through `form_posts` (one commit, a one-time token, a redirect)."""

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..fields import read_form
from ..form_posts import run_form, submit
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

    def render(errors=None, status=200):
        values = (
            request.form
            if request.method == "POST"
            else {"is_active": True, "min_remaining_shelf_life_days": 0}
        )
        return _form_page(None, values, errors, status)

    def perform(data):
        created = operations.create_item(current_user, **data)
        return url_for("catalogue.item", sku=created.sku), _("Item %(sku)s created.", sku=created.sku)

    return render() if request.method == "GET" else run_form(ItemSchema(), perform, render)


@bp.route("/<sku>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_CATALOGUE)
def edit_item(sku):
    """Edit an item (administrators); the SKU stays."""
    existing = queries.item_by_sku(sku)

    def render(errors=None, status=200):
        values = request.form if request.method == "POST" else ItemSchema().dump(existing)
        return _form_page(existing, values, errors, status)

    def perform(data):
        operations.update_item(current_user, existing, **data)
        return url_for("catalogue.item", sku=existing.sku), _("Item %(sku)s saved.", sku=existing.sku)

    return render() if request.method == "GET" else run_form(ItemUpdateSchema(), perform, render)


def _form_page(existing, values, errors, status):
    return render_template(
        "catalogue/item_form.html",
        item=existing,
        values=values,
        errors=errors or {},
        categories=_category_options(),
    ), status


@bp.route("/import", methods=["GET", "POST"])
@requires(Action.MANAGE_CATALOGUE)
def import_items():
    """Upload a CSV or XLSX catalogue: all rows are checked first; any problem imports nothing."""

    def render(problems=()):
        page = render_template("catalogue/import.html", problems=problems, columns=importing.COLUMNS)
        return page, 422 if problems else 200

    if request.method == "GET":
        return render()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render([_("Choose a CSV or XLSX file.")])

    def work():
        result = importing.import_catalogue(current_user, upload.read(), upload.filename)
        done = _(
            "Imported: %(created)d new items, %(updated)d updated.",
            created=result.created,
            updated=result.updated,
        )
        return url_for("catalogue.import_items"), done

    try:
        return submit(work)
    except importing.ImportRejected as error:
        return render(error.problems)


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
