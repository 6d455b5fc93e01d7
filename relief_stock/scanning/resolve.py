"""Resolve a scanned code (or label URL) to what it names, its state, and what the user may do.

Resolving is apart from acting: this module reads and logs the scan (a `scan_events` row, found
or not, as InvenTree does), and the caller decides where to go. A mistyped code raises BadInput
(422), a well-formed code we never issued raises NotFound (404); both are logged before raising.
"""

from dataclasses import dataclass, field
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..auth.permissions import Action, can
from ..database import local_today, utcnow
from ..errors import BadInput, NotFound
from ..extensions import db
from ..network.models import Depot, Location
from ..stock import rules
from ..stock.actions import batch_actions, transfer_actions
from ..stock.models import Batch, Receipt, Transfer
from . import codes
from .log import scan_log


@dataclass
class Resolved:
    kind: str  # batch, receipt, transfer, location
    code: str
    object: object
    depot: Depot | None
    depot_code: str | None
    state: dict = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)


@cache
def _batch_by_code():
    """The hot path, built once (on first use: the mappers must be complete): one query for the
    batch, its depot, location and (joined) item."""
    return (
        select(Batch)
        .options(joinedload(Batch.depot), joinedload(Batch.location))
        .where(Batch.code == bindparam("code"))
    )


def _lookup(parsed: codes.ParsedCode):
    if parsed.kind == codes.BATCH:
        return db.session.scalar(_batch_by_code(), {"code": parsed.code})
    if parsed.kind == codes.RECEIPT:
        return db.session.scalar(select(Receipt).where(Receipt.number == parsed.code))
    if parsed.kind == codes.TRANSFER:
        return db.session.scalar(select(Transfer).where(Transfer.number == parsed.code))
    return db.session.scalar(
        select(Location)
        .join(Depot, Depot.id == Location.depot_id)
        .where(Depot.code == parsed.depot_code, Location.code == parsed.location_code)
    )


def _batch_state(batch: Batch, user) -> tuple[dict, list[str]]:
    today = local_today()
    state = {
        "item": batch.item.sku,
        "quantity": batch.quantity,
        "status": batch.status.value,
        "expiry_date": batch.expiry_date.isoformat() if batch.expiry_date else None,
        "is_expired": rules.is_expired(batch, today),
        "depot": batch.depot.code,
        "location": batch.location.code if batch.location else None,
    }
    return state, batch_actions(batch, user, today)


def _transfer_state(transfer: Transfer, user) -> tuple[dict, list[str]]:
    state = {
        "status": transfer.status.value,
        "from_depot": transfer.from_depot.code,
        "to_depot": transfer.to_depot.code if transfer.to_depot else None,
        "to_site": transfer.to_site_name,
    }
    return state, transfer_actions(transfer, user)


def _describe(kind: str, obj, user) -> tuple[Depot | None, dict, list[str]]:
    if kind == codes.BATCH:
        return (obj.depot, *_batch_state(obj, user))
    if kind == codes.TRANSFER:
        return (obj.from_depot, *_transfer_state(obj, user))
    if kind == codes.RECEIPT:
        return (
            obj.depot,
            {"depot": obj.depot.code, "batches": len(obj.batches), "source_kind": obj.source_kind.value},
            [],
        )
    operate = can(user, Action.OPERATE_STOCK, obj.depot)
    return (
        obj.depot,
        {"depot": obj.depot.code, "location": obj.code},
        (["count", "move_here"] if operate else []),
    )


def _log(user, raw: str, result: str, kind=None, obj=None) -> None:
    """Every scan, found or refused, goes to the scan log, which writes it apart from the caller's
    unit of work (so a refused scan's row survives the rollback)."""
    scan_log().record(
        {
            "user_id": getattr(user, "id", None),
            "code": raw[:300],
            "result": result,
            "object_type": kind,
            "object_id": getattr(obj, "id", None),
            "created_at": utcnow(),
        }
    )


def resolve(raw: str, user) -> Resolved:
    """What `raw` names. Logs the scan; raises BadInput (mistyped) or NotFound (unknown)."""
    raw = (raw or "").strip()
    try:
        parsed = codes.parse(raw)
    except BadInput:
        _log(user, raw, "invalid")
        raise
    obj = _lookup(parsed)
    if obj is None:
        _log(user, raw, "not_found", parsed.kind)
        raise NotFound(
            _("%(code)s is a valid code, but nothing carries it here.", code=parsed.code), field="code"
        )
    _log(user, raw, "found", parsed.kind, obj)
    depot, state, actions = _describe(parsed.kind, obj, user)
    return Resolved(parsed.kind, parsed.code, obj, depot, depot.code if depot else None, state, actions)
