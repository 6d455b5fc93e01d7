"""Item API under /api/v1/items: list, read, create, edit, and whole-catalogue import and export."""

from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from ..auth.permissions import Action, requires
from ..idempotency import idempotent
from . import importing, operations, queries
from .schemas import ItemQuerySchema, ItemSchema, ItemUpdateSchema
from .views import download

blp = Blueprint(
    "api_items",
    __name__,
    url_prefix="/api/v1/items",
    description="The relief item catalogue, with CSV/XLSX import and export.",
)


class UploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV (UTF-8 or GB18030) or XLSX file"})


class ImportResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()


class ExportQuerySchema(Schema):
    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "xlsx")))


@blp.route("/", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(ItemQuerySchema, location="query")
@blp.response(200, ItemSchema(many=True))
def list_items(filters):
    """List items, filtered by category, active flag or text in the SKU or either name."""
    return queries.list_items(**filters)


@blp.route("/", methods=["POST"])
@requires(Action.MANAGE_CATALOGUE)
@idempotent
@blp.arguments(ItemSchema)
@blp.response(201, ItemSchema)
def create_item(data):
    """Create an item (administrators). 409 when the SKU exists."""
    return operations.create_item(current_user, **data)


@blp.route("/<sku>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, ItemSchema)
def get_item(sku):
    """One item by SKU."""
    return queries.item_by_sku(sku)


@blp.route("/<sku>", methods=["PATCH"])
@requires(Action.MANAGE_CATALOGUE)
@idempotent
@blp.arguments(ItemUpdateSchema(partial=True))
@blp.response(200, ItemSchema)
def update_item(data, sku):
    """Change an item's details (administrators); the SKU stays."""
    item = queries.item_by_sku(sku)
    return operations.update_item(current_user, item, **data)


@blp.route("/import", methods=["POST"])
@requires(Action.MANAGE_CATALOGUE)
@idempotent
@blp.arguments(UploadSchema, location="files")
@blp.response(200, ImportResultSchema)
def import_items(files):
    """Import a CSV or XLSX catalogue, all or nothing: 422 lists every "row N, column X: problem"."""
    upload = files["file"]
    return importing.import_catalogue(current_user, upload.read(), upload.filename)


@blp.route("/export", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200, content_type="text/csv")
@blp.alt_response(
    200,
    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    description="the XLSX export",
    success=True,
)
def export_items(query):
    """The whole catalogue in the import's columns, as CSV (default) or XLSX (`format=xlsx`)."""
    return download(query["format"])
