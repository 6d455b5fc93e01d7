"""Prove the balances equal the ledger, over the whole database, in a handful of set-based queries.

Checks: every batch quantity equals the sum of its movements and its last movement's balance and
status; every depot x item balance (on hand, available) equals the sums over its batches; every
committed balance equals the sum of its commitment rows, no transfer line holds more promised than
it orders or anything once its order has left or was cancelled; nothing is negative. `flask stock reconcile` prints each mismatch and exits non-zero when there is any.
"""

from dataclasses import dataclass

from sqlalchemy import text

from ..extensions import db


@dataclass(frozen=True)
class Mismatch:
    check: str
    subject: str
    expected: object  # what the ledger (or the batches) say
    actual: object  # what the balance says

    def __str__(self):
        return f"{self.check}: {self.subject}: balance {self.actual}, expected {self.expected}"


_BATCH_VS_LEDGER = """
SELECT b.code, b.quantity, COALESCE(m.total, 0) AS total
FROM batches b LEFT JOIN (SELECT batch_id, SUM(quantity) AS total FROM movements GROUP BY batch_id) m
  ON m.batch_id = b.id
WHERE b.quantity <> COALESCE(m.total, 0)
"""

_BATCH_VS_LAST_MOVEMENT = """
SELECT b.code, b.quantity, b.status, m.balance_after, m.status_after
FROM batches b
JOIN (SELECT batch_id, MAX(id) AS last_id FROM movements GROUP BY batch_id) l ON l.batch_id = b.id
JOIN movements m ON m.id = l.last_id
WHERE m.status_after <> b.status OR m.balance_after <> b.quantity
"""

_SUMS = """
SELECT depot_id, item_id, SUM(quantity) AS on_hand,
       SUM(CASE WHEN status = 'available' THEN quantity ELSE 0 END) AS available
FROM batches GROUP BY depot_id, item_id
"""

# Both directions (a level without batches, batches without a level) without FULL OUTER JOIN.
_LEVELS_VS_BATCHES = f"""
SELECT d.code AS depot, i.sku AS item, s.on_hand, s.available, x.on_hand AS want_on_hand,
       x.available AS want_available
FROM stock_levels s LEFT JOIN ({_SUMS}) x ON x.depot_id = s.depot_id AND x.item_id = s.item_id
JOIN depots d ON d.id = s.depot_id JOIN items i ON i.id = s.item_id
WHERE s.on_hand <> COALESCE(x.on_hand, 0) OR s.available <> COALESCE(x.available, 0)
UNION ALL
SELECT d.code, i.sku, NULL, NULL, x.on_hand, x.available
FROM ({_SUMS}) x LEFT JOIN stock_levels s ON s.depot_id = x.depot_id AND s.item_id = x.item_id
JOIN depots d ON d.id = x.depot_id JOIN items i ON i.id = x.item_id
WHERE s.depot_id IS NULL AND (x.on_hand <> 0 OR x.available <> 0)
"""

_NEGATIVE = """
SELECT 'batch ' || code AS subject, quantity AS value FROM batches WHERE quantity < 0
UNION ALL
SELECT 'level ' || CAST(depot_id AS VARCHAR(12)) || '/' || CAST(item_id AS VARCHAR(12)), on_hand
FROM stock_levels WHERE on_hand < 0 OR available < 0
"""


_COMMITTED_VS_LEDGER = """
SELECT d.code AS depot, i.sku AS item, s.committed, COALESCE(c.total, 0) AS total
FROM stock_levels s
LEFT JOIN (SELECT depot_id, item_id, SUM(quantity) AS total FROM commitments GROUP BY depot_id, item_id) c
  ON c.depot_id = s.depot_id AND c.item_id = s.item_id
JOIN depots d ON d.id = s.depot_id JOIN items i ON i.id = s.item_id
WHERE s.committed <> COALESCE(c.total, 0)
UNION ALL
SELECT d.code, i.sku, NULL, c.total
FROM (SELECT depot_id, item_id, SUM(quantity) AS total FROM commitments GROUP BY depot_id, item_id) c
LEFT JOIN stock_levels s ON s.depot_id = c.depot_id AND s.item_id = c.item_id
JOIN depots d ON d.id = c.depot_id JOIN items i ON i.id = c.item_id
WHERE s.depot_id IS NULL AND c.total <> 0
"""

_LINE_COMMITMENTS = """
SELECT t.number, i.sku AS item, t.status, l.quantity AS ordered, SUM(c.quantity) AS promised
FROM commitments c JOIN transfer_lines l ON l.id = c.transfer_line_id
JOIN transfers t ON t.id = l.transfer_id JOIN items i ON i.id = l.item_id
GROUP BY t.number, i.sku, t.status, l.quantity
HAVING SUM(c.quantity) < 0 OR SUM(c.quantity) > l.quantity
    OR (t.status <> 'draft' AND SUM(c.quantity) <> 0)
"""


def reconcile() -> list[Mismatch]:
    """Every way the balances disagree with the ledger (an empty list when all is well)."""
    run = db.session.execute
    found = [
        Mismatch("batch vs ledger", f"batch {r.code}", r.total, r.quantity)
        for r in run(text(_BATCH_VS_LEDGER))
    ]
    found += [
        Mismatch(
            "batch vs last movement",
            f"batch {r.code}",
            f"{r.balance_after} {r.status_after}",
            f"{r.quantity} {r.status}",
        )
        for r in run(text(_BATCH_VS_LAST_MOVEMENT))
    ]
    found += [
        Mismatch(
            "stock level vs batches",
            f"depot {r.depot} item {r.item}",
            f"on hand {r.want_on_hand or 0}, available {r.want_available or 0}",
            f"on hand {r.on_hand}, available {r.available}",
        )
        for r in run(text(_LEVELS_VS_BATCHES))
    ]
    found += [
        Mismatch("committed vs commitments", f"depot {r.depot} item {r.item}", r.total, r.committed)
        for r in run(text(_COMMITTED_VS_LEDGER))
    ]
    found += [
        Mismatch(
            "transfer line commitment",
            f"transfer {r.number} item {r.item} ({r.status})",
            f"0..{r.ordered}" if r.status == "draft" else "0",
            r.promised,
        )
        for r in run(text(_LINE_COMMITMENTS))
    ]
    found += [Mismatch("negative balance", r.subject, ">= 0", r.value) for r in run(text(_NEGATIVE))]
    return found
