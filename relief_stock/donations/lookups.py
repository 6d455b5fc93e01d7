"""Staff reads of donors and donations: lookups by id and trace code, the donor list with its
search, and the donation list filtered by depot, donor, period and status within a user's scope.
The public trace reads in queries.py; nothing here writes."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..errors import unknown
from ..extensions import db
from ..network.models import Depot
from ..scanning import codes
from .models import Donation, DonationLine, Donor

PER_PAGE = 50


def donor_by_id(donor_id, field: str | None = None) -> Donor:
    """The donor with `donor_id`; unknown: bad input on `field` (422) or a missing page (404)."""
    donor = db.session.get(Donor, donor_id) if donor_id else None
    if donor is None:
        raise unknown(_("No donor %(id)s.", id=donor_id or "-"), field)
    return donor


def donation_by_code(code: str, field: str | None = None) -> Donation:
    """The donation with trace `code` (as typed on a phone: case and blanks ignored)."""
    code = codes.parse_trace_code(code or "") or (code or "").strip()
    donation = db.session.scalar(select(Donation).where(Donation.trace_code == code)) if code else None
    if donation is None:
        raise unknown(_("No donation %(code)s.", code=code or "-"), field)
    return donation


def donations_by_trace_code(trace_codes) -> dict[str, Donation]:
    """{trace code: donation} for the codes that are donations' (batches carry them as donor_ref)."""
    trace_codes = {code for code in trace_codes if code}
    if not trace_codes:
        return {}
    found = db.session.scalars(select(Donation).where(Donation.trace_code.in_(trace_codes)))
    return {donation.trace_code: donation for donation in found}


@dataclass
class Page:
    rows: list
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _paged(query, page: int) -> Page:
    total = db.session.scalar(query.with_only_columns(func.count()).order_by(None))
    rows = db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page(list(rows), int(total or 0), page)


def donor_page(q=None, kind=None, page=1) -> Page:
    """Donors by name, searched in the name, contact, phone and e-mail."""
    query = select(Donor)
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            or_(
                Donor.name.ilike(pattern),
                Donor.contact_name.ilike(pattern),
                Donor.phone.ilike(pattern),
                Donor.email.ilike(pattern),
            )
        )
    if kind:
        query = query.where(Donor.kind == kind)
    return _paged(query.order_by(Donor.name, Donor.id), page)


def donor_choices() -> list[tuple[int, str]]:
    """(id, name) of every donor, for the select boxes of the filters and the register form."""
    return [
        tuple(row) for row in db.session.execute(select(Donor.id, Donor.name).order_by(Donor.name, Donor.id))
    ]


def donation_page(scope, *, depot=None, donor=None, status=None, date_from=None, date_to=None, page=1):
    """The donations received (or declared) at depots of `scope` (dashboard.scope.Scope), newest
    first, filtered by a depot's subtree, donor, status and donation date."""
    query = (
        select(Donation)
        .where(scope.depots(Donation.depot_id))
        .options(
            selectinload(Donation.donor),
            selectinload(Donation.depot),
            selectinload(Donation.lines).selectinload(DonationLine.item),
        )
    )
    if depot is not None:
        query = query.where(Donation.depot_id.in_(select(Depot.id).where(Depot.path.startswith(depot.path))))
    if donor is not None:
        query = query.where(Donation.donor_id == donor.id)
    if status:
        query = query.where(Donation.status == status)
    if date_from:
        query = query.where(Donation.donated_date >= date_from)
    if date_to:
        query = query.where(Donation.donated_date <= date_to)
    return _paged(query.order_by(Donation.donated_date.desc(), Donation.id.desc()), page)


def donor_history(donor: Donor, scope) -> list[Donation]:
    """The donor's donations to depots of `scope`, newest first."""
    return list(
        db.session.scalars(
            select(Donation)
            .where(Donation.donor_id == donor.id, scope.depots(Donation.depot_id))
            .options(selectinload(Donation.depot), selectinload(Donation.lines))
            .order_by(Donation.donated_date.desc(), Donation.id.desc())
        )
    )


def visible_donation(trace_code, user) -> Donation | None:
    """The registered donation a batch or receipt came from, when `user` may open its staff page."""
    from ..auth.permissions import Action, can

    donation = donations_by_trace_code([trace_code]).get(trace_code)
    return donation if donation is not None and can(user, Action.VIEW, donation.depot) else None
