"""Engine, sessions and the declarative Base shared by every domain."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Engine, Enum, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON on SQLite, JSONB on PostgreSQL (indexable, compact).
JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use app.db.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[dict[str, Any]]: JSONType,
    }


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    # Parameters are names, dates of birth, addresses: never in an error message or a log line.
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )
    event.listen(engine, "begin", _postgres_begin)
    return engine


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin: the module's own
    # guesswork breaks savepoints and transactional DDL (migrations that fail half-way).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# An execution option: this connection's transactions only read (a page, a download).
READ_ONLY = "ics_read_only"


def _sqlite_begin(connection: Any) -> None:
    # A writing transaction takes the write lock up front (IMMEDIATE), so two requests never
    # deadlock upgrading a read lock; others wait (busy timeout) instead of failing. A reading
    # one takes no lock at all: WAL readers never block writers. SQLite itself refuses a write
    # in it (query_only), so a read that starts writing fails in every test, not under load.
    reading = bool(connection.get_execution_options().get(READ_ONLY))
    connection.exec_driver_sql(f"PRAGMA query_only={int(reading)}")
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _postgres_begin(connection: Any) -> None:
    # No lock to spare here (PostgreSQL reads take none), but the same refusal to write.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


# Set while a reading session has begun writing (`begin_writing`), until that transaction ends.
WRITING = "ics_writing"


class WriteWhileReading(RuntimeError):
    """A page wrote in its reading transaction: a bug (under load, a lost write on SQLite)."""


def reading_session(factory: sessionmaker[Session]) -> Session:
    """A session whose transactions only read; write in it after `begin_writing`."""
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine):  # a test's shared connection has no transactions of its own
        session = factory(bind=bind.execution_options(**{READ_ONLY: True}))
    else:
        session = factory()
    session.info[READ_ONLY] = True
    return session


def begin_writing(session: Session) -> None:
    """End what the session was reading and start a transaction that may write.

    A reading transaction on SQLite may not be upgraded: another writer may have committed since
    its snapshot (SQLITE_BUSY_SNAPSHOT, which no busy timeout helps). So reading ends first;
    anything the caller loaded is read again, fresh, when next touched.
    """
    session.rollback()
    session.info[WRITING] = True
    if isinstance(session.bind, Engine):
        session.connection(execution_options={READ_ONLY: False})


def is_reading(session: Session) -> bool:
    """Whether the session's current transaction may only read."""
    return bool(session.info.get(READ_ONLY)) and not session.info.get(WRITING)


# The same rule in the unit of work, on both databases and in the tests' shared connection:
# every page of every role is walked by the tests, so a page that writes while reading fails there.
@event.listens_for(Session, "before_flush")
def _no_flush_while_reading(session: Session, _context: Any, _instances: Any) -> None:
    if is_reading(session):
        raise WriteWhileReading("a reading transaction tried to write; call begin_writing first")


@event.listens_for(Session, "do_orm_execute")
def _no_statement_while_reading(state: Any) -> None:
    # A row lock (SELECT ... FOR UPDATE) is refused too: PostgreSQL refuses it in READ ONLY.
    locks = state.is_select and getattr(state.statement, "_for_update_arg", None) is not None
    if is_reading(state.session) and (
        state.is_insert or state.is_update or state.is_delete or locks
    ):
        raise WriteWhileReading("a reading transaction tried to write; call begin_writing first")


@event.listens_for(Session, "after_transaction_end")
def _writing_ends(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(WRITING, None)


def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work per request: the caller commits; anything left open is rolled back."""
    with factory() as session:
        try:
            yield session
        finally:
            session.rollback()


def str_enum(enum_cls: type[Any], length: int = 40) -> Enum:
    """Store an enum's values (not its Python names), portably, as a checked string."""
    return Enum(
        enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )
