"""The hash chain, as pure functions over plain values (no app, no database).

leaf(m)          = SHA-256(0x00 || canonical JSON of the movement's columns, for the seal's version)
link(prev, leaf) = SHA-256(0x01 || prev || leaf), starting from GENESIS
A seal signs `seal_message(...)`: its chain version, number, size, last movement id, the previous
seal's head and its own. The prefixes keep a leaf from ever being read as a link (as RFC 6962 does
for Merkle nodes).

Chain versions: the canonical form of version N is exactly the columns listed in COVERED[N], sorted
by name. A seal records the version it was made with, so old seals keep verifying after the table
grows. The version new seals use is the one whose columns are *all* the movement table's columns
(`version_for`); when a column is added without a new version, no version matches and sealing stops
with `Uncovered` instead of sealing rows part of which nobody can check.
"""

import hashlib
import json
from datetime import UTC, datetime
from enum import Enum

GENESIS = hashlib.sha256(b"relief-stock movement ledger v1").hexdigest()

# Frozen once a seal of that version may exist: append a version, never edit one.
COVERED = {
    1: frozenset(
        {
            "id",
            "kind",
            "batch_id",
            "depot_id",
            "item_id",
            "quantity",
            "balance_after",
            "status_after",
            "user_id",
            "created_at",
            "reason",
            "document_type",
            "document_id",
            "location_id",
        }
    ),
}
VERSION = max(COVERED)  # the newest version; new seals use it once it covers every column


class Uncovered(RuntimeError):
    """The movement table has columns that no chain version covers: sealing would skip them."""


def version_for(columns) -> int:
    """The chain version whose canonical form is exactly `columns` (the movement table's)."""
    columns = frozenset(columns)
    for version in sorted(COVERED, reverse=True):
        if COVERED[version] == columns:
            return version
    missing = sorted(columns - COVERED[VERSION])
    extra = sorted(COVERED[VERSION] - columns)
    raise Uncovered(
        f"movement columns not covered by chain version {VERSION}: {', '.join(missing) or '-'};"
        f" covered but absent: {', '.join(extra) or '-'}. Add chain version {VERSION + 1} to"
        " sealing/chain.py COVERED."
    )


def fields_of(version: int) -> tuple[str, ...]:
    """The columns a seal of `version` covers, in their stable (sorted) order."""
    try:
        return tuple(sorted(COVERED[version]))
    except KeyError:
        raise ValueError(f"unknown chain version {version}") from None


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical(movement, version: int = VERSION) -> bytes:
    """The bytes that stand for a movement under `version`: a row mapping (or object) -> its covered
    columns as sorted, compact UTF-8 JSON."""
    get = movement.__getitem__ if hasattr(movement, "keys") else lambda name: getattr(movement, name)
    fields = {name: _plain(get(name)) for name in fields_of(version)}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def leaf(movement, version: int = VERSION) -> bytes:
    return hashlib.sha256(b"\x00" + canonical(movement, version)).digest()


def link(previous_hex: str, leaf_digest: bytes) -> str:
    return hashlib.sha256(b"\x01" + bytes.fromhex(previous_hex) + leaf_digest).hexdigest()


def seal_message(
    *, number, tree_size, last_movement_id, previous_head, head, sealed_at: datetime, key_id, version
) -> bytes:
    """What a seal's signature covers (and what a published checkpoint states)."""
    fields = {
        "v": version,
        "seal": number,
        "tree_size": tree_size,
        "last_movement_id": last_movement_id,
        "previous_head": previous_head,
        "head": head,
        "sealed_at": _plain(sealed_at),
        "key_id": key_id,
    }
    return b"relief-stock ledger seal\n" + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
