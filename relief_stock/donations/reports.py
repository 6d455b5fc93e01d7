"""Reports on donations for staff and auditors: what was received in a period, by donor and item,
what became of it and what remains (one row per donated item, the trace's figures), and the same
figures for one donor's feedback letter (捐赠反馈函).

Read-only and scoped: a keeper or dispatcher sees only donations received at depots in their scope
(the rows name donors who did not agree to be named in public). The figures are the public trace's
(queries.find_donation), so the report, the letter and the public page never disagree.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validates_schema
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.permissions import in_scope
from ..database import local_today
from ..extensions import db
from ..fields import Day, PrintedText, Text
from ..network.models import Depot
from .models import Donation, DonationStatus, Donor
from .queries import find_donation

MAX_DAYS = 3660  # ten years: one report, not the whole history in one go by accident


class ReportPeriod(Schema):
    """The period of a report (donation dates, inclusive); this year so far when not given."""

    start = Day(data_key="from", load_default=None)
    end = Day(data_key="to", load_default=None)
    depot = Text(load_default=None)  # a depot code: donations received there and below

    @validates_schema
    def _order(self, data, **kwargs):
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError(_l("The start of the period must not be after its end."), "from")
        if start and end and (end - start).days > MAX_DAYS:
            raise ValidationError(_l("Choose a period of at most ten years."), "from")


class LetterOptions(ReportPeriod):
    signed_by = PrintedText(load_default=None)  # the officer who signs the letter, printed on it


def period_of(data: dict) -> tuple[date, date]:
    today = local_today()
    end = data.get("end") or today
    start = data.get("start") or date(end.year, 1, 1)
    return start, end


@dataclass
class Row:
    """One donated item of one donation, and where its units are now."""

    donation: Donation
    line: object
    summary: object  # queries.ItemSummary, or None for a line nothing was accepted of
    emergencies: dict = field(default_factory=dict)


def donations_in(user, start: date, end: date, *, under: Depot | None = None, donor: Donor | None = None):
    """Donations dated in [start, end] that `user` may see, oldest first."""
    query = (
        select(Donation)
        .join(Depot, Donation.depot_id == Depot.id)
        .where(Donation.donated_date >= start, Donation.donated_date <= end)
        .options(selectinload(Donation.lines), selectinload(Donation.donor), selectinload(Donation.depot))
        .order_by(Donation.donated_date, Donation.id)
    )
    if under is not None:
        query = query.where(Depot.path.startswith(under.path))
    if donor is not None:
        query = query.where(Donation.donor_id == donor.id)
    return [d for d in db.session.scalars(query) if in_scope(user, d.depot)]


def rows_of(donations) -> list[Row]:
    """A row per declared line, with the trace's figures for its item (given once per item)."""
    rows = []
    for donation in donations:
        trace = find_donation(donation.trace_code) if donation.status is DonationStatus.RECEIVED else None
        by_item = {s.item.id: s for s in trace.summary} if trace else {}
        for line in donation.lines:
            summary = by_item.pop(line.item_id, None)  # a second line of the same item: counted once
            rows.append(Row(donation, line, summary, dict(summary.emergencies) if summary else {}))
    return sorted(rows, key=lambda r: (r.donation.donor.name, r.line.item.sku, r.donation.donated_date))
