"""The floor for bench/alerts_bench.py: the check run's whole selection as one hand-written SQL
statement (portable to SQLite and PostgreSQL), with nothing of the application in between."""

from datetime import timedelta

FLOOR_SQL = """
WITH norm_pairs AS (
    SELECT depot_id, item_id FROM reserve_norms WHERE depot_id IS NOT NULL
    UNION SELECT d.id, n.item_id FROM depots d JOIN reserve_norms n ON n.tier = d.tier
    UNION SELECT d.id, s.item_id FROM depots d JOIN per_capita_standards s ON s.tier = d.tier
          WHERE d.served_population IS NOT NULL
), norms AS (
    SELECT p.depot_id, p.item_id,
           COALESCE(o.quantity, t.quantity,
                    (CAST(d.served_population AS BIGINT) * s.quantity + s.per_residents - 1) / s.per_residents)
               AS quantity
    FROM norm_pairs p JOIN depots d ON d.id = p.depot_id
    LEFT JOIN reserve_norms o ON o.depot_id = p.depot_id AND o.item_id = p.item_id
    LEFT JOIN reserve_norms t ON t.tier = d.tier AND t.item_id = p.item_id
    LEFT JOIN per_capita_standards s ON s.tier = d.tier AND s.item_id = p.item_id
    WHERE d.is_active = TRUE
), usable AS (
    SELECT depot_id, item_id, SUM(quantity) AS available FROM batches
    WHERE status = 'available' AND quantity > 0 AND (expiry_date IS NULL OR expiry_date >= :today)
    GROUP BY depot_id, item_id
), shortfalls AS (
    SELECT n.depot_id, n.item_id, COALESCE(u.available, 0) AS quantity, n.quantity AS norm
    FROM norms n LEFT JOIN usable u ON u.depot_id = n.depot_id AND u.item_id = n.item_id
    WHERE COALESCE(u.available, 0) < n.quantity
), receivers AS (
    SELECT item_id, depot_id,
           ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY norm - quantity DESC, depot_id) AS rnk
    FROM shortfalls
)
SELECT 'due:' || CAST(id AS VARCHAR(20)) AS dedup_key, 'due' AS kind, 'critical' AS severity, depot_id, item_id,
       id AS batch_id, quantity, CAST(NULL AS INTEGER) AS norm, expiry_date, CAST(NULL AS VARCHAR(16)) AS suggestion,
       CAST(NULL AS INTEGER) AS suggested_depot_id
FROM batches WHERE expiry_date < :today AND quantity > 0 AND status IN ('available', 'quarantined')
UNION ALL
SELECT 'shortfall:' || CAST(depot_id AS VARCHAR(12)) || ':' || CAST(item_id AS VARCHAR(12)), 'shortfall',
       CASE WHEN quantity * 2 < norm THEN 'critical' ELSE 'warning' END, depot_id, item_id, CAST(NULL AS BIGINT),
       quantity, norm, CAST(NULL AS DATE), CAST(NULL AS VARCHAR(16)), CAST(NULL AS INTEGER)
FROM shortfalls
UNION ALL
SELECT 'expiring:' || CAST(b.id AS VARCHAR(20)), 'expiring',
       CASE WHEN b.expiry_date <= :critical THEN 'critical' WHEN b.expiry_date <= :warning THEN 'warning'
            ELSE 'info' END,
       b.depot_id, b.item_id, b.id, b.quantity, NULL, b.expiry_date,
       CASE WHEN b.expiry_date > :transfer AND (CASE WHEN r1.depot_id <> b.depot_id THEN r1.depot_id
                                                      ELSE r2.depot_id END) IS NOT NULL THEN 'transfer'
            WHEN b.expiry_date > :drill THEN 'drill' ELSE 'donate' END,
       CASE WHEN b.expiry_date > :transfer THEN (CASE WHEN r1.depot_id <> b.depot_id THEN r1.depot_id
                                                      ELSE r2.depot_id END) END
FROM batches b
LEFT JOIN receivers r1 ON r1.item_id = b.item_id AND r1.rnk = 1
LEFT JOIN receivers r2 ON r2.item_id = b.item_id AND r2.rnk = 2
WHERE b.status = 'available' AND b.quantity > 0 AND b.expiry_date >= :today AND b.expiry_date <= :widest
UNION ALL
SELECT 'expired:' || CAST(id AS VARCHAR(20)), 'expired', 'critical', depot_id, item_id, id, quantity, NULL,
       expiry_date, NULL, NULL
FROM batches WHERE status = 'expired' AND quantity > 0
"""


def floor_params(today, dialect: str, horizons=(90, 30, 7), transfer_days=30, drill_days=7) -> dict:
    """Bind values; SQLite stores dates as ISO text, so it gets strings."""
    values = {
        "today": today,
        "widest": today + timedelta(days=max(horizons)),
        "warning": today + timedelta(days=sorted(horizons)[1]),
        "critical": today + timedelta(days=min(horizons)),
        "transfer": today + timedelta(days=transfer_days),
        "drill": today + timedelta(days=drill_days),
    }
    if dialect == "sqlite":
        values = {k: v.isoformat() for k, v in values.items()}
    return values
