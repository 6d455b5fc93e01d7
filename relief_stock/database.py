"""The typed model base, column helpers and `atomic()`, the one place a unit of work commits.

Operations only `flush()`; the entry point (a view, an API call, a CLI command, a job) wraps the whole
request in `atomic()`, so a failure anywhere leaves nothing half-written.
"""

from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, Enum, Integer, MetaData, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    """Today in the depots' time zone (config TIMEZONE, default Asia/Shanghai), not the server's.

    Servers often run on UTC; a receipt booked at 07:00 in Hangzhou must still be dated today there.
    """
    from zoneinfo import ZoneInfo

    from flask import current_app, has_app_context

    zone = (
        current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
        if has_app_context()
        else "Asia/Shanghai"
    )
    return datetime.now(ZoneInfo(zone)).date()


class Quantity(TypeDecorator):
    """A count of units that may pass 2**31: BIGINT on PostgreSQL, INTEGER (already 64-bit) on SQLite.
    Values come back as int, also from SUM() and arithmetic over such columns, which PostgreSQL
    answers as NUMERIC (a Decimal that JSON, marshmallow and float arithmetic would trip over)."""

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(Integer() if dialect.name == "sqlite" else BigInteger())

    def process_result_value(self, value, dialect):
        return None if value is None else int(value)


class UTCDateTime(TypeDecorator):
    """Timestamps are stored as UTC and read back as aware datetimes on every backend.

    A TypeDecorator rather than a DateTime subclass: dialects swap a DateTime subclass for their own
    implementation (SQLite's returns naive values), while a decorator's hooks always run.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(enum_cls: type[StrEnum], **kwargs):
    """A column storing a StrEnum by its stable value (not its Python name), checked by the database."""
    length = max(len(member.value) for member in enum_cls)
    return mapped_column(
        Enum(
            enum_cls,
            native_enum=False,
            create_constraint=True,
            length=max(length, 16),
            values_callable=lambda cls: [member.value for member in cls],
            name=enum_cls.__name__.lower(),
        ),
        **kwargs,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


@contextmanager
def atomic():
    """Run a unit of work in one transaction: commit on success, roll back on any exception."""
    from .extensions import db

    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def begin_write() -> None:
    """Open this unit of work's write transaction now, if it is not open yet.

    SQLite: BEGIN IMMEDIATE takes the database's write lock, so the reads that follow see exactly
    the rows the writes will change (the stock lock helpers call this before reading what they
    lock). PostgreSQL needs nothing: rows are locked one by one with SELECT ... FOR UPDATE.
    """
    from .extensions import db

    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, let readers run beside a writer, and wait for locks briefly."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# Statements that never write: anything else opens the transaction with BEGIN IMMEDIATE (below).
_SQLITE_READS = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "EXPLAIN")


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_write_lock_first(conn, cursor, statement, parameters, context, executemany):
    """SQLite: a unit of work takes the write lock with its first write, never by upgrading a read.

    A deferred transaction that has read and then writes gets SQLITE_BUSY at once when another
    connection committed meanwhile (busy_timeout cannot help a lock upgrade). Here the write
    transaction is opened explicitly with BEGIN IMMEDIATE, so a second writer waits its turn. Reads
    before the first write stay in autocommit, as pysqlite's default transaction control keeps them,
    so pages and tests still see each other's commits; stock operations never trust those reads (they
    write with conditional UPDATEs), so nothing is lost. (With Python 3.11's legacy transaction
    control pysqlite's own implicit BEGIN already comes only before the first write; this makes the
    rule explicit and keeps it should that control change, e.g. sqlite3 `autocommit=False`.)
    """
    if conn.dialect.name != "sqlite":
        return
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection.in_transaction or statement.lstrip()[:9].upper().startswith(_SQLITE_READS):
        return
    cursor.execute("BEGIN IMMEDIATE")
