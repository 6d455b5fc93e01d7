"""Writers of donors and donations: register a donor, declare a donation, receive it.

Receiving goes through `stock.operations.receive` (the one writer of stock), in the caller's unit of
work: the receipt and its batches carry the donation's trace code as `donor_ref`, and the donor's
name only when the donor agreed to be named in public. Like every operation these flush and raise
typed errors; the entry point commits once.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..auth.permissions import Action, require
from ..database import local_today, utcnow
from ..errors import BadInput, Conflict
from ..extensions import db
from ..scanning import codes
from ..stock import operations as stock_ops
from ..stock.checks import positive
from ..stock.kinds import SourceKind
from .models import DifferenceReason, Donation, DonationLine, DonationStatus, Donor, DonorKind

DONOR_FIELDS = ("contact_name", "phone", "email", "address", "notes")


def register_donor(user, *, kind, name, may_name_publicly=False, **fields) -> Donor:
    """A new donor. Raises BadInput for an unknown kind or an empty name."""
    require(user, Action.OPERATE_STOCK)
    try:
        kind = DonorKind(kind)
    except ValueError:
        raise BadInput(_("Unknown kind of donor: %(value)s.", value=kind), field="kind") from None
    name = (name or "").strip()
    if not name:
        raise BadInput(_("Enter the donor's name."), field="name")
    unknown = set(fields) - set(DONOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown donor fields: {', '.join(sorted(unknown))}")
    donor = Donor(kind=kind, name=name, may_name_publicly=bool(may_name_publicly), **fields)
    db.session.add(donor)
    db.session.flush()
    return donor


@dataclass(frozen=True)
class DeclaredLine:
    item: object
    quantity: int


def declare_donation(
    user,
    donor: Donor,
    depot,
    lines: list[DeclaredLine],
    *,
    donated_date: date | None = None,
    documents=None,
    notes=None,
) -> Donation:
    """Record what a donor says they give to `depot`, with a new unguessable trace code."""
    require(user, Action.OPERATE_STOCK, depot)
    if not lines:
        raise BadInput(_("A donation needs at least one item."), field="lines")
    donated = donated_date or local_today()
    if donated > local_today():
        raise BadInput(_("The date of the donation cannot be in the future."), field="donated_date")
    for line in lines:
        positive(line.quantity, field="lines")
    donation = Donation(
        trace_code=codes.new_trace_code(),
        donor_id=donor.id,
        depot_id=depot.id,
        donated_date=donated,
        documents=documents,
        notes=notes,
        created_by_id=user.id,
    )
    db.session.add(donation)
    db.session.flush()
    for line in lines:
        db.session.add(
            DonationLine(donation_id=donation.id, item_id=line.item.id, declared_quantity=line.quantity)
        )
    db.session.flush()
    db.session.refresh(donation)
    return donation


@dataclass(frozen=True)
class Acceptance:
    """What was accepted of one declared line; a reason (and a staff note) for any difference."""

    accepted: int
    reason: DifferenceReason | str | None = None
    note: str | None = None
    expiry_date: date | None = None
    location: object = None


def receive_donation(
    user, donation: Donation, accepted: dict[int, Acceptance], *, received_date=None
) -> Donation:
    """Receive `donation` at its depot: every declared line needs an Acceptance (by line id); the
    accepted units become batches through the stock operations. Raises Conflict when it was already
    received, BadInput naming the line when a difference has no reason or exceeds the declaration."""
    depot = donation.depot
    require(user, Action.OPERATE_STOCK, depot)
    if donation.status is DonationStatus.RECEIVED:
        raise Conflict(_("Donation %(code)s was already received.", code=donation.trace_code))
    receipt_lines, accepted_lines = [], []
    for number, line in enumerate(donation.lines, start=1):
        acceptance = accepted.get(line.id)
        field = f"lines.{number}"
        if acceptance is None:
            raise BadInput(_("Line %(n)d: enter the quantity accepted.", n=number), field=field)
        quantity = acceptance.accepted
        if (
            isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or not 0 <= quantity <= line.declared_quantity
        ):
            raise BadInput(
                _(
                    "Line %(n)d: accept between 0 and the %(declared)d declared.",
                    n=number,
                    declared=line.declared_quantity,
                ),
                field=field,
            )
        reason = None
        if quantity < line.declared_quantity:
            try:
                reason = DifferenceReason(acceptance.reason) if acceptance.reason else None
            except ValueError:
                reason = None
            if reason is None:
                raise BadInput(
                    _(
                        "Line %(n)d: say why fewer were accepted than declared (damaged, expired, refused, short).",
                        n=number,
                    ),
                    field=field,
                )
        line.accepted_quantity, line.difference_reason = quantity, reason
        line.difference_note = (acceptance.note or "").strip()[:255] or None
        if quantity:
            receipt_lines.append(
                stock_ops.ReceiptLine(
                    line.item, quantity, expiry_date=acceptance.expiry_date, location=acceptance.location
                )
            )
            accepted_lines.append(line)
    if receipt_lines:
        named = donation.donor.name if donation.donor.may_name_publicly else None
        receipt = stock_ops.receive(
            user,
            depot,
            receipt_lines,
            source_kind=SourceKind.DONATION,
            supplier=named,
            donor_ref=donation.trace_code,
            received_date=received_date,
        )
        donation.receipt_id = receipt.id
        for line, batch in zip(accepted_lines, receipt.batches, strict=True):
            line.batch_id = batch.id
    donation.status = DonationStatus.RECEIVED
    donation.received_at = utcnow()
    db.session.flush()
    return donation
