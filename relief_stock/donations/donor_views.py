"""Donor pages for staff: the donor list with its search, a donor's page with their donations (to
depots of the user's scope), the donor form (new and edit) and the XLSX import with its template.
Every signed-in role reads; keepers and administrators (who take donations in) write."""

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..dashboard.scope import root_depot, scope_for
from ..fields import read_form
from ..form_posts import new_form_token, run_form, submit
from . import importing, lookups, operations
from .models import DonorKind
from .schemas import DonorQuerySchema, DonorSchema
from .staff_views import bp


@bp.get("/")
@requires(Action.VIEW)
def donors():
    """Donors by name, searched in the name, contact person, phone and e-mail."""
    filters, errors = read_form(DonorQuerySchema(), request.args, checkboxes=False)
    page = lookups.donor_page(**filters) if not errors else None
    return render_template(
        "donations/staff/donors.html",
        page=page,
        values=request.args,
        errors=errors,
        kinds=list(DonorKind),
        may_edit=can(current_user, Action.OPERATE_STOCK),
    ), 422 if errors else 200


@bp.get("/<int:donor_id>")
@requires(Action.VIEW)
def donor(donor_id):
    """A donor: contacts, whether they may be named in public, and their donations."""
    found = lookups.donor_by_id(donor_id)
    scope = scope_for(current_user)
    return render_template(
        "donations/staff/donor.html",
        donor=found,
        history=lookups.donor_history(found, scope),
        scope=scope,
        province=root_depot(),
        may_edit=can(current_user, Action.OPERATE_STOCK),
    )


def _form_page(existing, errors=None, status=200):
    if request.method == "POST":
        values = request.form
    elif existing is not None:
        values = DonorSchema().dump(existing)
        values["kind"] = existing.kind.value
    else:
        values = {"kind": DonorKind.ORGANISATION.value}
    return render_template(
        "donations/staff/donor_form.html",
        donor=existing,
        values=values,
        errors=errors or {},
        kinds=[(kind.value, kind.label) for kind in DonorKind],
    ), status


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def create_donor():
    """Register a donor. Unless they agree, the public sees 爱心人士 / Anonymous donor."""

    def render(errors=None, status=200):
        return _form_page(None, errors, status)

    def perform(data):
        created = operations.register_donor(current_user, **data)
        return url_for("donors.donor", donor_id=created.id), _("Donor %(name)s saved.", name=created.name)

    return render() if request.method == "GET" else run_form(DonorSchema(), perform, render)


@bp.route("/<int:donor_id>/edit", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def edit_donor(donor_id):
    """Change a donor's details and consent to be named publicly."""
    existing = lookups.donor_by_id(donor_id)

    def render(errors=None, status=200):
        return _form_page(existing, errors, status)

    def perform(data):
        operations.update_donor(current_user, existing, **data)
        return url_for("donors.donor", donor_id=existing.id), _("Donor %(name)s saved.", name=existing.name)

    return render() if request.method == "GET" else run_form(DonorSchema(), perform, render)


@bp.route("/import", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def import_donors():
    """Upload donors as XLSX: every row is checked first; any problem imports nothing. A second tap
    on the button imports nothing twice (the form's one-time token)."""

    def render(errors=None, status=200):
        problems = [str(m) for key in ("_form", "file") for m in (errors or {}).get(key, [])]
        return render_template(
            "donations/staff/import.html",
            problems=problems,
            columns=importing.COLUMNS,
            form_token=new_form_token(),
        ), status

    if request.method == "GET":
        return render()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render({"file": [_("Choose an XLSX file of donors.")]}, 422)
    data = upload.read()

    def work():
        count = importing.import_donors(current_user, data, upload.filename)
        return url_for("donors.donors"), _("%(n)d donors imported.", n=count)

    return submit(work, render)


@bp.get("/import/template.xlsx")
@requires(Action.VIEW)
def import_template():
    """The donor sheet to fill in: the import's columns, and a sheet explaining each."""
    return Response(
        importing.template_xlsx(),
        mimetype=importing.MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="donors-template.xlsx"'},
    )
