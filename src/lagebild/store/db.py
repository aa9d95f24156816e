"""One connection type over SQLite (stdlib ``sqlite3``) and PostgreSQL (``pg8000``, BSD licence).

SQL in lagebild is written once with ``?`` placeholders; :class:`Database` turns them into
``%s`` for pg8000. A path opens SQLite in WAL mode (readers never block the one writer, a
``kill -9`` never corrupts the file); a ``postgresql://user:password@host:port/dbname`` URL
opens PostgreSQL. Driver errors on write (read-only file, full disk, lost server) become
:class:`~lagebild.errors.StoreError` E061 after the open transaction is rolled back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lagebild.errors import Errors, StoreError
from lagebild.store.schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "lagebild.db"
#: Page size of a new SQLite store, in bytes.
PAGE_SIZE = 8192
#: WAL pages after which a commit checkpoints them into the database file (64 MB of 8 KB pages).
WAL_CHECKPOINT_PAGES = 8192


def is_url(db: str | Path) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Database:
    """A connection to the store, SQLite or PostgreSQL, with the schema migrated."""

    def __init__(self, db: str | Path = DEFAULT_DB, *, create: bool = True, migrate: bool = True):
        self.name = _display(db)
        self.url = str(db)  # what another process needs to open its own connection
        self.dialect = "postgresql" if is_url(db) else "sqlite"
        self._in_transaction = False
        if self.dialect == "sqlite":
            path = Path(db)
            if not create and not path.exists():
                raise StoreError(Errors.E060.format(db=db, reason="no such file; run `lagebild ingest` first"))
            try:
                self.connection = sqlite3.connect(str(path), isolation_level=None, timeout=60, check_same_thread=False)
                # A new store gets 8 KB pages (an existing one keeps its own) and checkpoints its
                # WAL every 64 MB instead of every 1,000 pages: every batch of an ingest rewrites
                # index pages all over the hash and MinHash band indexes, and a checkpoint copies
                # each page once however often the WAL holds it. Writing the same 20,000 analysed
                # pages took the writer about 10 % less CPU time (0.18 against 0.20 ms per
                # article; no difference at 10,000: the gain grows with the store); the file is
                # 3 % smaller and searches as fast. The last connection to close still
                # checkpoints and removes the WAL; after a kill -9 the next opening recovers it.
                self.connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                self.connection.execute("PRAGMA journal_mode = WAL")
                self.connection.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: safe against kill -9
                self.connection.execute("PRAGMA cache_size = -65536")
                self.connection.execute("PRAGMA temp_store = MEMORY")
                self.connection.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
            except sqlite3.Error as exc:
                raise StoreError(Errors.E060.format(db=db, reason=exc)) from exc
        else:
            self.connection = _connect_postgresql(str(db))
        if migrate:
            self.migrate()

    # -- plumbing -------------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()):
        cursor = self.connection.cursor()
        cursor.execute(self._sql(sql), tuple(params))
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if not isinstance(rows, list) or (rows and not isinstance(rows[0], tuple)):
            rows = [tuple(r) for r in rows]
        if rows:
            self.connection.cursor().executemany(self._sql(sql), rows)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return [tuple(r) for r in self.execute(sql, params).fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        row = self.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def iter_dicts(self, sql: str, params: Sequence[Any] = (), size: int = 5000) -> Iterator[dict[str, Any]]:
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description]
        while True:
            chunk = cursor.fetchmany(size)
            if not chunk:
                return
            for row in chunk:
                yield dict(zip(names, row))

    def insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT and return the new row's id (SQLite: its rowid; PostgreSQL: RETURNING id)."""
        if self.dialect == "sqlite":
            return int(self.execute(sql, params).lastrowid)
        return int(self.execute(sql + " RETURNING id", params).fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic write: committed at the end, rolled back (and raised as E061) on any error."""
        if self._in_transaction:
            yield self
            return
        self._in_transaction = True
        try:
            if self.dialect == "sqlite":
                self.connection.execute("BEGIN IMMEDIATE")
            yield self
            self.connection.commit() if self.dialect == "postgresql" else self.connection.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if _is_driver_error(exc):
                raise StoreError(Errors.E061.format(db=self.name, reason=_reason(exc))) from exc
            raise
        finally:
            self._in_transaction = False

    def _rollback(self) -> None:
        try:
            if self.dialect == "sqlite":
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
            else:
                self.connection.rollback()
        except Exception:  # noqa: BLE001 - the original error is the one to report
            pass

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection
            pass

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------

    def migrate(self) -> None:
        """Apply the migrations the ``migrations`` table does not list yet (each in one transaction)."""
        with self.transaction():
            self.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                         "applied TEXT NOT NULL)")
        done = {int(v) for (v,) in self.rows("SELECT version FROM migrations")}
        if done and max(done) > SCHEMA_VERSION:
            raise StoreError(Errors.E062.format(db=self.name, found=max(done), known=SCHEMA_VERSION))
        for migration in MIGRATIONS:
            if migration.version in done:
                continue
            with self.transaction():
                for statement in migration.statements(self.dialect):
                    self.execute(statement)
                self.execute("INSERT INTO migrations (version, name, applied) VALUES (?, ?, ?)",
                             (migration.version, migration.name, now()))

    def schema_version(self) -> int:
        row = self.one("SELECT MAX(version) FROM migrations")
        return int(row[0] or 0) if row else 0

    def counts(self) -> dict[str, int]:
        """Row counts of the corpus tables (what the crash-safety test compares)."""
        tables = ("articles", "paragraphs", "boilerplate", "entities", "mentions", "quotes", "events", "inputs",
                  "duplicates", "failures", "minhash_bands")
        return {t: int(self.one(f"SELECT COUNT(*) FROM {t}")[0]) for t in tables}


def _display(db: str | Path) -> str:
    """The database name for messages, without a password."""
    if not is_url(db):
        return str(db)
    parsed = urlparse(str(db))
    host = parsed.hostname or ""
    return f"{parsed.scheme}://{parsed.username + '@' if parsed.username else ''}{host}:{parsed.port or 5432}{parsed.path}"


def _connect_postgresql(url: str):
    import pg8000.dbapi

    parsed = urlparse(url)
    try:
        return pg8000.dbapi.connect(
            user=unquote(parsed.username or "postgres"),
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname or "localhost",
            port=parsed.port or 5432,
            database=(parsed.path or "/").lstrip("/") or None,
        )
    except Exception as exc:  # noqa: BLE001 - pg8000 raises interface and socket errors
        raise StoreError(Errors.E060.format(db=_display(url), reason=_reason(exc))) from exc


def _is_driver_error(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return True
    module = type(exc).__module__ or ""
    return module.startswith("pg8000") or isinstance(exc, OSError)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, sqlite3.Error):
        return str(exc)
    args = exc.args[0] if exc.args else exc
    if isinstance(args, dict):  # pg8000 passes the server's error fields
        return str(args.get("M", args))
    return str(args)
