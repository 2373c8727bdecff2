"""The store: the only module that runs SQL (SQLite by default, PostgreSQL for teams).

Both back ends run the same `schema.sql`, applied and migrated by `open_store`. SQL is written
once with `?` placeholders; the PostgreSQL connection rewrites them to `%s`. Writers run in
`Store.transaction()`, which serialises ingests (SQLite `BEGIN IMMEDIATE`, a PostgreSQL
advisory lock) so that linking sees every committed report.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterator, Optional, Sequence

from ..errors import BadRequest, StoreError
from ..records import Event, Source
from ..stages.link import Block, StoredReport, family_of
from .query import EventQuery, order_by, where

__all__ = ["DEFAULT_DB", "Decision", "DocumentRow", "Store", "StoredEvent",
           "StoreError", "open_store"]

log = logging.getLogger(__name__)

DEFAULT_DB = "eventwire.sqlite"  # in the working directory, unless $EVENTWIRE_DB says otherwise
# (version, script); append (5, "migrate_005.sql") etc.; never edit a shipped one. A script
# named with {dialect} has one file per back end.
_MIGRATIONS = [(1, "schema.sql"), (2, "migrate_002.sql"), (3, "migrate_003.sql"),
               (4, "migrate_004_{dialect}.sql"), (5, "migrate_005_{dialect}.sql"),
               (6, "migrate_006_{dialect}.sql"), (7, "migrate_007_{dialect}.sql"),
               (8, "migrate_008_{dialect}.sql")]
# Dialect expressions a migration script may name as {key}; fixed text, no user input.
_DIALECT_SQL = {
    "sqlite": {"record_confidence": "CAST(json_extract(record, '$.confidence') AS REAL)"},
    "postgresql": {"record_confidence":
                   "CAST(record::jsonb ->> 'confidence' AS DOUBLE PRECISION)"},
}
_ADD_COLUMN = re.compile(r"^\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)", re.I)
_PG_LOCK = 0x6576656E  # advisory lock id that serialises writers on PostgreSQL
_PG_INGEST_LOCK = 0x6576656F  # ... and the one that lets one ingest run at a time


@dataclass(frozen=True)
class DocumentRow:
    """One ingested document (the key is the hash of its cleaned text)."""

    doc_hash: str
    doc_id: str
    title: Optional[str]
    outlet: Optional[str]
    published: Optional[str]
    url: Optional[str]
    n_events: int
    n_rejected: int
    text: Optional[str] = None


@dataclass(frozen=True)
class StoredEvent:
    """A linked event as stored, with its bookkeeping."""

    event: Event
    n_sources: int
    updated_at: int


@dataclass(frozen=True)
class Decision:
    """One recorded link, new-event or split decision."""

    report_id: str
    decision_no: int
    event_id: str
    decision: str
    partner_report_id: Optional[str]
    score: Optional[float]
    features: dict


def resolve_url(url: Optional[str]) -> str:
    """The store URL to use: the given one, else $EVENTWIRE_DB, else ./eventwire.sqlite."""
    return url or os.environ.get("EVENTWIRE_DB") or DEFAULT_DB


def open_store(url: Optional[str] = None, read_only: bool = False,
               create: bool = True) -> "Store":
    """Open (creating and migrating as needed) the store at a path or URL.

    Args:
        url: a SQLite path, `sqlite:///path`, or `postgresql://...`; None for the default.
        read_only: open for reading only (the web server's query connections): nothing is
            created or migrated, so no write lock is taken, and the connection refuses
            writes. StoreError if the store is missing or older than this code.
        create: False for commands that only read (export, brief): StoreError if there is
            no store yet, so a mistyped path is reported instead of becoming an empty store
            (an existing older store is still migrated).
    """
    url = resolve_url(url)
    if url.startswith(("postgresql://", "postgres://")):
        store = Store(_connect_pg(url), "postgresql", _pg_disconnects())
    else:
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
        if (read_only or not create) and path != ":memory:" and not os.path.exists(path):
            raise StoreError(f"no store at {path}")
        store = Store(_connect_sqlite(path), "sqlite")
    try:
        if not create and store.schema_version() == 0:
            where = "in the PostgreSQL database" if store.dialect == "postgresql" else f"at {url}"
            raise StoreError(f"no store {where}: ingest something first")
        if read_only:
            store.check_current()
            store.refuse_writes()
        else:
            store.migrate()
    except BaseException:
        store.close()
        raise
    return store


def _connect_sqlite(path: str) -> sqlite3.Connection:
    if path != ":memory:" and os.path.dirname(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=60)
    conn.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL survives a killed process (only power loss may drop the last commits).
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA wal_autocheckpoint=20000")  # checkpoint (and fsync) every ~80 MB, not 4 MB
    conn.execute("PRAGMA cache_size=-65536")  # 64 MB page cache: linking re-reads recent blocks
    return conn


def _pg_disconnects() -> tuple[type[BaseException], ...]:
    import psycopg
    return (psycopg.OperationalError,)


def _connect_pg(url: str) -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError("PostgreSQL needs psycopg: pip install 'psycopg[binary]>=3.1'") from exc
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as exc:
        raise StoreError(f"cannot connect to PostgreSQL: {exc}".strip()) from exc


class Store:
    """A connection to the store; every read and write of the project goes through here."""

    def __init__(self, conn: Any, dialect: str,
                 disconnects: tuple[type[BaseException], ...] = ()) -> None:
        self.conn = conn
        self.dialect = dialect
        # The driver's errors for a lost server connection: reported as one StoreError line;
        # the open transaction is gone, so a re-run resumes from the last commit.
        self._disconnects = disconnects
        self._in_tx = False
        self._seq: Optional[int] = None  # cached sequence value, valid inside one transaction

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence = ()) -> Any:
        """Run one statement written with `?` placeholders (the one place they become `%s`
        for PostgreSQL); returns the cursor. For the store package's modules only."""
        if any(isinstance(p, str) and "\x00" in p for p in params):
            # PostgreSQL refuses NUL in text and SQLite ends a LIKE pattern there (so
            # "%\x00%" matched everything): no stored text holds one, so refuse it alike.
            raise BadRequest("a value holds a NUL character (\\x00), which no stored text"
                             " can hold")
        if self.dialect == "postgresql":
            sql = sql.replace("?", "%s")
        try:
            return self.conn.execute(sql, tuple(params))
        except self._disconnects as exc:
            raise StoreError(f"lost the connection to the store: {str(exc).strip()}") from exc

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Every row of one statement (see `execute`)."""
        return list(self.execute(sql, params).fetchall())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of writes; rolled back on any error, Ctrl-C included."""
        if self._in_tx:
            raise StoreError("nested store transaction")
        self._in_tx = True
        try:
            self._seq = None
            if self.dialect == "postgresql":
                with self.conn.transaction():
                    self.execute("SELECT pg_advisory_xact_lock(?)", (_PG_LOCK,))
                    yield
            else:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
        finally:
            self._in_tx = False

    @contextmanager
    def ingest_lock(self) -> Iterator[None]:
        """Hold the store for one whole ingest run; a second ingest waits for the first.

        Linking depends on arrival order, so two runs whose documents interleave could link
        differently from either run after the other; one run at a time makes concurrent
        ingests equal to sequential ones. The lock dies with its holder (a PostgreSQL
        session lock, a lock on a file beside the SQLite store), so a killed ingest never
        leaves it taken.
        """
        if self.dialect == "postgresql":
            self.execute("SELECT pg_advisory_lock(?)", (_PG_INGEST_LOCK,))
            try:
                yield
            finally:
                try:
                    self.execute("SELECT pg_advisory_unlock(?)", (_PG_INGEST_LOCK,))
                except StoreError:
                    pass  # the connection is gone, and its session lock with it
            return
        path = self._path()
        if path is None:
            yield
            return
        import fcntl
        with open(path + ".ingest-lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _path(self) -> Optional[str]:
        """The SQLite store's file (None in memory)."""
        for _, name, file in self.rows("PRAGMA database_list"):
            if name == "main":
                return file or None
        return None

    @contextmanager
    def batches(self, seconds: float) -> Iterator["Batch"]:
        """Group many small units of work into transactions at most `seconds` long.

        Call `batch.done()` after each unit; uncommitted work is rolled back on any error.
        """
        batch = Batch(self, seconds)
        try:
            yield batch
        except BaseException:
            batch.close(commit=False)
            raise
        batch.close(commit=True)

    def _begin(self) -> None:
        self._seq = None
        if self.dialect == "postgresql":
            self.execute("BEGIN")
            self.execute("SELECT pg_advisory_xact_lock(?)", (_PG_LOCK,))
        else:
            self.execute("BEGIN IMMEDIATE")

    def schema_version(self) -> int:
        """The store's schema version (0 for an empty database); takes no lock."""
        if self.dialect == "postgresql":
            exists = self.rows("SELECT to_regclass('schema_version') IS NOT NULL")[0][0]
        else:
            exists = bool(self.rows("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                                     " AND name = 'schema_version'"))
        if not exists:
            return 0
        return int(self.rows("SELECT MAX(version) FROM schema_version")[0][0] or 0)

    def check_current(self) -> None:
        """StoreError unless the schema is the one this code writes (no lock, no writes)."""
        have, want = self.schema_version(), _MIGRATIONS[-1][0]
        if have != want:
            raise StoreError(f"the store has schema version {have}, this eventwire needs"
                             f" {want}: open it once for writing (eventwire serve"
                             " does at start) to migrate it")

    def refuse_writes(self) -> None:
        """Make this connection read-only (a guard: the web's query connections never
        write, and must not take the write lock by accident)."""
        if self.dialect == "postgresql":
            self.execute("SET default_transaction_read_only = on")
        else:
            self.execute("PRAGMA query_only = ON")

    def migrate(self) -> None:
        """Create the schema or bring it up to the newest version.

        An up-to-date store is recognised without the write lock, so opening one is cheap
        and never waits for a running ingest; otherwise the version is read again under
        the lock (another process may have migrated meanwhile).
        """
        newest = _MIGRATIONS[-1][0]
        if self.schema_version() >= newest:
            return
        with self.transaction():
            self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = self.rows("SELECT MAX(version) FROM schema_version")[0][0] or 0
            for version, name in _MIGRATIONS:
                if version <= current:
                    continue
                script = resources.files("eventwire.store").joinpath(
                    name.format(dialect=self.dialect)).read_text("utf-8")
                self._run_script(script.format(**_DIALECT_SQL[self.dialect]))
                self.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
                log.info("store migrated to schema version %d", version)

    def _run_script(self, script: str) -> None:
        # Comments go first: they may contain semicolons.
        code = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
        for statement in _statements(code):
            if not self._column_exists(statement):
                self.execute(statement)

    def _column_exists(self, statement: str) -> bool:
        """Whether `statement` adds a column that is already there (SQLite has no
        ADD COLUMN IF NOT EXISTS): a re-run migration then skips it."""
        m = _ADD_COLUMN.match(statement)
        if not m:
            return False
        cursor = self.execute(f"SELECT * FROM {m.group(1)} WHERE 1 = 0")  # name from our script
        return m.group(2).lower() in {d[0].lower() for d in cursor.description}

    def next_seq(self) -> int:
        """The next number of the store-wide sequence (inside a transaction)."""
        # Writers hold the store's write lock, so the value read at the start of a
        # transaction stays ours until commit; `_begin` forgets it.
        if self._seq is None:
            row = self.rows("SELECT value FROM counters WHERE name = 'seq'")
            if not row:
                self.execute("INSERT INTO counters (name, value) VALUES ('seq', 0)")
            self._seq = row[0][0] if row else 0
        self._seq += 1
        self.execute("UPDATE counters SET value = ? WHERE name = 'seq'", (self._seq,))
        return self._seq

    # -- documents and reports --------------------------------------------------------

    def has_document(self, doc_hash: str) -> bool:
        """Whether a document with this content hash was already ingested."""
        return bool(self.rows("SELECT 1 FROM documents WHERE doc_hash = ?", (doc_hash,)))

    def stored_hashes(self, doc_ids: Sequence[str]) -> dict[str, set[str]]:
        """The content hashes stored under each of these document ids, as a document or as
        a copy's claims (ids with none are left out)."""
        found: dict[str, set[str]] = {}
        if not doc_ids:
            return found
        marks = ", ".join("?" * len(doc_ids))
        for doc_id, doc_hash in self.rows(
                f"SELECT doc_id, doc_hash FROM documents WHERE doc_id IN ({marks})"
                f" UNION SELECT doc_id, doc_hash FROM claims WHERE doc_id IN ({marks})",
                (*doc_ids, *doc_ids)):
            found.setdefault(doc_id, set()).add(doc_hash)
        return found

    def add_document(self, doc: DocumentRow, seq: int) -> None:
        """Record an ingested document."""
        self.execute(
            "INSERT INTO documents (doc_hash, doc_id, title, outlet, published, url, text,"
            " n_events, n_rejected, seq, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.doc_hash, doc.doc_id, doc.title, doc.outlet, doc.published, doc.url, doc.text,
             doc.n_events, doc.n_rejected, seq, int(time.time())))

    def add_report(self, report: StoredReport, seq: int) -> None:
        """Store one report's claim under its linked event."""
        e = report.event
        self.execute(
            "INSERT INTO claims (report_id, event_id, doc_hash, doc_id, outlet, published,"
            " block_family, event_date, event_type, sub_event_type, actor1, actor2, country,"
            " admin1, location, geo_precision, fatalities, injuries, record, seq)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (report.report_id, report.event_id, report.doc_hash, e.doc_id,
             e.sources[0].outlet if e.sources else None,
             e.sources[0].published if e.sources else None, family_of(e.event_type),
             e.event_date, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.country,
             e.admin1, e.location, e.geo_precision, e.fatalities, e.injuries,
             _dump(e), seq))

    def block_reports(self, block: Block, up_to_seq: Optional[int] = None) -> list[StoredReport]:
        """Stored reports in a block: same country and family, dates in range; for a block
        with an admin1, reports in that admin1, without one, or region-level anywhere in the
        country (only those stored at sequence numbers up to `up_to_seq`, when given).

        A region-level report searches the whole country, so a precise report must see
        region-level reports of other admin1s too, or whether two reports link would depend
        on which arrived first. Region-level is `stages.link`'s notion (geo_precision 3, or
        a place named like its admin1); here it is over-approximated in SQL by a shared
        first two letters (Idlib ~ Idleb, Al Hasakah ~ Al-Hasakeh): an extra report only
        costs a comparison, a missing one a link.
        """
        sql = ("SELECT report_id, event_id, doc_hash, record FROM claims WHERE country = ?"
               " AND block_family = ? AND event_date >= ? AND event_date <= ?")
        params: list = [block.country, block.family, block.date_from, block.date_to]
        if block.admin1:
            sql += (" AND (admin1 = ? OR admin1 IS NULL OR geo_precision IS NULL"
                    " OR geo_precision >= 3 OR substr(location, 1, 2) = substr(admin1, 1, 2))")
            params.append(block.admin1)
        if up_to_seq is not None:
            sql += " AND seq <= ?"
            params.append(up_to_seq)
        return [_report(row) for row in self.rows(sql + " ORDER BY seq", params)]

    def event_reports(self, event_id: str) -> list[StoredReport]:
        """The reports of one linked event, in ingest order."""
        rows = self.rows("SELECT report_id, event_id, doc_hash, record FROM claims"
                          " WHERE event_id = ? ORDER BY seq", (event_id,))
        return [_report(row) for row in rows]

    def reports_by_id(self, report_ids: Sequence[str]) -> list[StoredReport]:
        """The stored reports with these ids (unknown ids are left out)."""
        found = []
        for rid in report_ids:
            found += [_report(row) for row in self.rows(
                "SELECT report_id, event_id, doc_hash, record FROM claims WHERE report_id = ?",
                (rid,))]
        return found

    def document_reports(self, doc_id: str) -> list[StoredReport]:
        """The reports read from documents with this id, in ingest order."""
        rows = self.rows("SELECT report_id, event_id, doc_hash, record FROM claims"
                          " WHERE doc_id = ? ORDER BY seq, report_id", (doc_id,))
        return [_report(row) for row in rows]

    def hash_reports(self, doc_hash: str) -> list[StoredReport]:
        """The reports read from one text (its first document's, then its copies'), in ingest order."""
        rows = self.rows("SELECT report_id, event_id, doc_hash, record FROM claims"
                          " WHERE doc_hash = ? ORDER BY seq, report_id", (doc_hash,))
        return [_report(row) for row in rows]

    def move_reports(self, report_ids: Sequence[str], event_id: str) -> None:
        """Re-assign reports to another linked event (a split)."""
        for rid in report_ids:
            self.execute("UPDATE claims SET event_id = ? WHERE report_id = ?", (event_id, rid))

    # -- events -----------------------------------------------------------------------

    def has_event(self, event_id: str) -> bool:
        """Whether an event id is taken."""
        return bool(self.rows("SELECT 1 FROM events WHERE event_id = ?", (event_id,)))

    def save_event(self, event: Event, n_sources: int, seq: int, new: bool) -> None:
        """Insert a linked event (`new`; StoreError if its id is taken), or replace its
        resolved view (its reports stay in claims, so nothing a source said is lost)."""
        actors = " | ".join(x for x in (event.actor1, event.actor2, event.assoc_actor_1,
                                         event.assoc_actor_2) if x).lower()
        values = (event.event_date, event.event_type, event.sub_event_type, actors,
                  event.country, event.admin1, event.latitude, event.longitude,
                  event.fatalities, event.confidence, n_sources, _dump(event),
                  int(time.time()))
        if not new:
            self.execute("UPDATE events SET event_date = ?, event_type = ?, sub_event_type = ?,"
                       " actors = ?, country = ?, admin1 = ?, latitude = ?, longitude = ?,"
                       " fatalities = ?, confidence = ?, n_sources = ?, record = ?,"
                       " updated_at = ? WHERE event_id = ?", values + (event.event_id,))
        else:
            cursor = self.execute(
                "INSERT INTO events (event_date, event_type, sub_event_type, actors, country,"
                " admin1, latitude, longitude, fatalities, confidence, n_sources, record,"
                " updated_at, event_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?)"
                " ON CONFLICT (event_id) DO NOTHING", values + (event.event_id, seq))
            if cursor.rowcount != 1:
                raise StoreError(f"event id {event.event_id} is taken")

    def get_event(self, event_id: str) -> Optional[StoredEvent]:
        """One linked event, or None."""
        rows = self.rows("SELECT record, n_sources, updated_at FROM events"
                          " WHERE event_id = ?", (event_id,))
        return stored_event(rows[0]) if rows else None

    def find_events(self, filters: EventQuery = EventQuery(), limit: Optional[int] = None,
                    offset: int = 0) -> Iterator[StoredEvent]:
        """Linked events matching the filters, in creation order (ties by event id: a total
        order, the same on both back ends); the query's own sort and page are not used."""
        clause, params = where(filters, self.dialect)
        sql = "SELECT record, n_sources, updated_at FROM events" + clause + order_by(None, self.dialect)
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        cursor = self.execute(sql, params)
        for row in cursor:
            yield stored_event(row)

    def count_events(self, filters: EventQuery = EventQuery()) -> int:
        """How many linked events match the filters."""
        clause, params = where(filters, self.dialect)
        return int(self.rows("SELECT COUNT(*) FROM events" + clause, params)[0][0])

    # -- decisions ----------------------------------------------------------------------

    def add_decision(self, d: Decision, seq: int) -> None:
        """Record why a report joined, founded or left an event."""
        self.execute("INSERT INTO merge_decisions (report_id, decision_no, event_id, decision,"
                   " partner_report_id, score, features, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (d.report_id, d.decision_no, d.event_id, d.decision, d.partner_report_id,
                    d.score, json.dumps(d.features, sort_keys=True), seq))

    def next_decision_no(self, report_id: str) -> int:
        """The number the report's next decision gets."""
        rows = self.rows("SELECT MAX(decision_no) FROM merge_decisions WHERE report_id = ?",
                          (report_id,))
        return (rows[0][0] or 0) + 1

    def decisions(self, event_id: str) -> list[Decision]:
        """Every decision that put a report into, or took one out of, this event."""
        rows = self.rows(
            "SELECT report_id, decision_no, event_id, decision, partner_report_id, score,"
            " features FROM merge_decisions WHERE event_id = ? OR report_id IN"
            " (SELECT report_id FROM claims WHERE event_id = ?) ORDER BY seq, report_id,"
            " decision_no", (event_id, event_id))
        return [Decision(*row[:6], json.loads(row[6])) for row in rows]

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        return {t: int(self.rows(f"SELECT COUNT(*) FROM {t}")[0][0])  # fixed names, no input
                for t in ("documents", "events", "claims", "merge_decisions")}


_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
_SOURCE_FIELDS = tuple(f.name for f in dataclasses.fields(Source))


class Batch:
    """An open group transaction (see Store.batches)."""

    def __init__(self, store: Store, seconds: float) -> None:
        self.store = store
        self.seconds = seconds
        self.started: Optional[float] = None

    def done(self) -> None:
        """One unit of work finished: commit if the group is old enough."""
        if self.started is not None and time.monotonic() - self.started >= self.seconds:
            self.store.execute("COMMIT")
            self.started = None

    def open(self) -> None:
        """Make sure a transaction is open before writing."""
        if self.started is None:
            self.store._begin()
            self.started = time.monotonic()

    def close(self, commit: bool) -> None:
        """Commit (or roll back) whatever is pending."""
        if self.started is not None:
            self.store.execute("COMMIT" if commit else "ROLLBACK")
            self.started = None


_BEGIN = re.compile(r"\bBEGIN\b", re.I)
_END = re.compile(r"\bEND\b", re.I)


def _statements(code: str) -> Iterator[str]:
    """The statements of a script: split at semicolons, except inside a trigger's
    BEGIN ... END body."""
    pieces: list[str] = []
    for piece in code.split(";"):
        pieces.append(piece)
        text = ";".join(pieces)
        if len(_BEGIN.findall(text)) <= len(_END.findall(text)):
            if text.strip():
                yield text
            pieces = []


def _dump(event: Event) -> str:
    # Same JSON as Event.to_record(), without dataclasses.asdict's deep copies (10x faster).
    rec = {name: getattr(event, name) for name in _EVENT_FIELDS}
    rec["sources"] = [{name: getattr(s, name) for name in _SOURCE_FIELDS} for s in event.sources]
    return json.dumps(rec, ensure_ascii=False)


def _report(row: tuple) -> StoredReport:
    return StoredReport(row[0], row[1], row[2], Event.from_record(json.loads(row[3])))


def stored_event(row: tuple) -> StoredEvent:
    return StoredEvent(Event.from_record(json.loads(row[0])), int(row[1]), int(row[2]))
