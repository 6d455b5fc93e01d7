"""Stable codes for batch status, batch source and movement kind.

Stored values never change once released (they are in the ledger); labels are translated.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class BatchStatus(StrEnum):
    AVAILABLE = "available"
    QUARANTINED = "quarantined"
    EXPIRED = "expired"
    WRITTEN_OFF = "written_off"

    @property
    def label(self):
        return _BATCH_STATUS_LABELS[self]

    @property
    def is_issuable(self) -> bool:
        return self is BatchStatus.AVAILABLE


class SourceKind(StrEnum):
    PURCHASE = "purchase"  # government purchase
    ALLOCATION = "allocation"  # allocated by a higher tier or the central reserve
    DONATION = "donation"
    TRANSFER = "transfer"  # split from a batch received on a transfer between our depots
    COUNT = "count"  # found in a stocktake with no known origin

    @property
    def label(self):
        return _SOURCE_LABELS[self]


class MovementKind(StrEnum):
    RECEIPT = "receipt"
    ISSUE = "issue"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    MOVE_OUT = "move_out"  # part of a batch split off to another location in the same depot
    MOVE_IN = "move_in"
    ADJUSTMENT = "adjustment"
    COUNT_CORRECTION = "count_correction"
    WRITE_OFF = "write_off"
    QUARANTINE = "quarantine"
    RELEASE = "release"
    EXPIRE = "expire"

    @property
    def label(self):
        return _MOVEMENT_LABELS[self]


_BATCH_STATUS_LABELS = {
    BatchStatus.AVAILABLE: _l("Available"),
    BatchStatus.QUARANTINED: _l("Quarantined"),
    BatchStatus.EXPIRED: _l("Expired"),
    BatchStatus.WRITTEN_OFF: _l("Written off"),
}
_SOURCE_LABELS = {
    SourceKind.PURCHASE: _l("Government purchase"),
    SourceKind.ALLOCATION: _l("Allocation"),
    SourceKind.DONATION: _l("Donation"),
    SourceKind.TRANSFER: _l("Transfer"),
    SourceKind.COUNT: _l("Found in stocktake"),
}
_MOVEMENT_LABELS = {
    MovementKind.RECEIPT: _l("Receipt"),
    MovementKind.ISSUE: _l("Issue"),
    MovementKind.TRANSFER_OUT: _l("Transfer out"),
    MovementKind.TRANSFER_IN: _l("Transfer in"),
    MovementKind.MOVE_OUT: _l("Moved out"),
    MovementKind.MOVE_IN: _l("Moved in"),
    MovementKind.ADJUSTMENT: _l("Adjustment"),
    MovementKind.COUNT_CORRECTION: _l("Count correction"),
    MovementKind.WRITE_OFF: _l("Write-off"),
    MovementKind.QUARANTINE: _l("Quarantine"),
    MovementKind.RELEASE: _l("Release"),
    MovementKind.EXPIRE: _l("Expired"),
}


class TransferStatus(StrEnum):
    DRAFT = "draft"  # approved order, being picked
    IN_TRANSIT = "in_transit"  # dispatched: stock has left the sending depot
    RECEIVED = "received"  # taken in at the receiving depot (short/damaged written off)
    DELIVERED = "delivered"  # handed out at a site that is not a depot
    CANCELLED = "cancelled"

    @property
    def label(self):
        return _TRANSFER_STATUS_LABELS[self]


_TRANSFER_STATUS_LABELS = {
    TransferStatus.DRAFT: _l("Picking"),
    TransferStatus.IN_TRANSIT: _l("In transit"),
    TransferStatus.RECEIVED: _l("Received"),
    TransferStatus.DELIVERED: _l("Delivered"),
    TransferStatus.CANCELLED: _l("Cancelled"),
}


class CommitmentKind(StrEnum):
    COMMIT = "commit"  # an approved plan promises the units to a transfer line
    RELEASE = "release"  # the order was cancelled or cut down, or its emergency closed
    CONSUME = "consume"  # the truck left: the units are in transit, no longer promised

    @property
    def label(self):
        return _COMMITMENT_LABELS[self]


_COMMITMENT_LABELS = {
    CommitmentKind.COMMIT: _l("Committed"),
    CommitmentKind.RELEASE: _l("Released"),
    CommitmentKind.CONSUME: _l("Dispatched"),
}


class StocktakeStatus(StrEnum):
    OPEN = "open"  # counting
    POSTED = "posted"  # differences booked as count corrections
    CANCELLED = "cancelled"

    @property
    def label(self):
        return _STOCKTAKE_STATUS_LABELS[self]


_STOCKTAKE_STATUS_LABELS = {
    StocktakeStatus.OPEN: _l("Counting"),
    StocktakeStatus.POSTED: _l("Posted"),
    StocktakeStatus.CANCELLED: _l("Cancelled"),
}
