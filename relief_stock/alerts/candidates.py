"""Keep the `alerts` table in step with the conditions a check run sees, in set-based statements.

The run fills a temporary `alert_candidates` table (one row per condition, keyed by `dedup_key`);
`apply_candidates()` then opens alerts for new keys, updates the facts of active alerts whose facts changed
(severity, quantity, norm, suggestion) and resolves active alerts whose key was not seen. Each statement
touches only rows that differ, so an unchanged world writes nothing.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    exists,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)

from ..database import UTCDateTime
from ..extensions import db
from .models import Alert, AlertState

FACTS = ("severity", "quantity", "norm", "suggestion", "suggested_depot_id")

_scratch = MetaData()
candidates = Table(
    "alert_candidates",
    _scratch,
    Column("dedup_key", String(64)),  # unique: indexed once filled (index_candidates), faster than per row
    Column("kind", String(16)),
    Column("severity", String(16)),
    Column("depot_id", Integer),
    Column("item_id", Integer),
    Column("batch_id", BigInteger),
    Column("quantity", Integer),
    Column("norm", Integer),
    Column("expiry_date", Date),
    Column("suggestion", String(16)),
    Column("suggested_depot_id", Integer),
    Column("is_new", Boolean),  # set by apply_candidates(): no active alert has this key
    prefixes=["TEMPORARY"],
)
COLUMNS = [column.name for column in candidates.columns if column.name != "is_new"]


def create_candidates() -> None:
    """A fresh, empty scratch table on the session's connection (temporary: no other session sees it)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # The correlated SET subqueries inflate the planner's cost past jit_above_cost; compiling them
        # takes longer than the statements run. Off for this transaction only.
        connection.execute(text("SET LOCAL jit = off"))
    connection.execute(text("DROP TABLE IF EXISTS alert_candidates"))
    candidates.create(connection)


def drop_candidates() -> None:
    db.session.connection().execute(text("DROP TABLE IF EXISTS alert_candidates"))


def add_candidates(selection) -> None:
    """Insert the rows of `selection` (columns in COLUMNS order) as candidate conditions."""
    db.session.execute(insert(candidates).from_select(COLUMNS, selection))


def index_candidates() -> None:
    """Index the filled candidates by key (one sort instead of an index update per inserted row)."""
    db.session.execute(
        text("CREATE UNIQUE INDEX ix_alert_candidates_dedup_key ON alert_candidates (dedup_key)")
    )


def apply_candidates(now: datetime, previous_run_at: datetime | None) -> tuple[int, int, int]:
    """Apply the candidates to `alerts`; returns (created, updated, resolved)."""
    alerts = Alert.__table__
    active = alerts.c.state != AlertState.RESOLVED.value
    same_key = candidates.c.dedup_key == alerts.c.dedup_key

    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE alert_candidates"))  # no autovacuum statistics on temp tables
    # New keys are marked first, then inserted: an INSERT whose own NOT EXISTS probes the table it
    # fills is planned against the table's size before the insert (empty on a first run), which
    # PostgreSQL answers with a scan of the growing table per row.
    db.session.execute(update(candidates).where(~exists().where(same_key, active)).values(is_new=True))
    new = select(
        *[candidates.c[name] for name in COLUMNS], literal(AlertState.OPEN.value), literal(now, UTCDateTime())
    ).where(candidates.c.is_new.is_(True))
    # Counted through RETURNING: psycopg reports no rowcount for INSERT ... SELECT with bound values.
    created = _count(insert(alerts).from_select(COLUMNS + ["state", "first_seen_at"], new))

    changed = or_(*[alerts.c[name].is_distinct_from(candidates.c[name]) for name in FACTS])
    updated = _count(
        update(alerts)
        .where(active, exists().where(same_key, changed))
        .values({name: select(candidates.c[name]).where(same_key).scalar_subquery() for name in FACTS})
    )

    resolved = _count(
        update(alerts)
        .where(active, ~exists().where(same_key))
        .values(state=AlertState.RESOLVED.value, resolved_at=now, last_seen_at=previous_run_at or now)
    )
    return created, updated, resolved


def _count(statement) -> int:
    return len(db.session.execute(statement.returning(Alert.__table__.c.id)).all())
