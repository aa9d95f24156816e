"""The corpus as a Python object: ingest, ask, export. The CLI commands mirror these methods.

>>> from lagebild.corpus import Corpus
>>> corpus = Corpus("lagebild.db")                    # or "postgresql://user:pw@host/db"
>>> corpus.ingest(["corpora/samples"])                 # doctest: +SKIP
>>> corpus.quotes(speaker="Scholz", frame=True)        # doctest: +SKIP  (a pandas DataFrame)

Every question returns a list of dicts, or a pandas DataFrame with ``frame=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lagebild.store import query
from lagebild.store.db import DEFAULT_DB, Database
from lagebild.store.ingest import IngestReport, ingest, reanalyze


def _frame(rows: list[dict[str, Any]], frame: bool):
    if not frame:
        return rows
    import pandas

    return pandas.DataFrame(rows)


class Corpus:
    """A corpus store: a SQLite file (created on first ingest) or a PostgreSQL URL."""

    def __init__(self, db: str | Path = DEFAULT_DB):
        self.location = str(db)
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """The open connection (the store must exist for questions; E060 otherwise)."""
        if self._db is None:
            self._db = Database(self.location, create=False)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ingest(self, paths: Iterable[str | Path], settings=None, *, workers: int = 1,
               on_outcome: Callable | None = None, batch_size: int = 1000) -> IngestReport:
        """Analyse and store inputs (files, folders, globs, WARC, JSONL, ``-``); see :func:`lagebild.store.ingest.ingest`."""
        self.close()
        return ingest(paths, self.location, settings, workers=workers, on_outcome=on_outcome, batch_size=batch_size)

    def reanalyze(self, settings=None, *, workers: int = 1, on_outcome: Callable | None = None) -> IngestReport:
        """Rerun the current pipeline over articles another pipeline version made."""
        self.close()
        return reanalyze(self.location, settings, workers=workers, on_outcome=on_outcome)

    def quotes(self, speaker: str | None = None, search: str | None = None, date_from: str | None = None,
               date_to: str | None = None, *, limit: int | None = None, offset: int = 0, frame: bool = False):
        """Quotes, optionally of one speaker (part of the canonical name), matching text, between dates;
        oldest first, all of them or the page ``limit``/``offset``."""
        return _frame(query.quotes(self.db, speaker=speaker, search=search, date_from=date_from, date_to=date_to,
                                   limit=limit, offset=offset), frame)

    def count_quotes(self, speaker: str | None = None, search: str | None = None, date_from: str | None = None,
                     date_to: str | None = None) -> int:
        """How many quotes :meth:`quotes` would return without a limit."""
        return query.count_quotes(self.db, speaker=speaker, search=search, date_from=date_from, date_to=date_to)

    def speakers(self, top: int = 10, *, frame: bool = False):
        """The most quoted speakers."""
        return _frame(query.speakers(self.db, top=top), frame)

    def entities(self, type: str | None = None, top: int | None = 20, *, frame: bool = False):
        """Corpus entities by mentions, optionally of one type (PER, LOC, ORG, MISC)."""
        return _frame(query.entities(self.db, label=type, top=top), frame)

    def events(self, type: str | None = None, actor: str | None = None, date_from: str | None = None,
               date_to: str | None = None, *, limit: int | None = None, frame: bool = False):
        """Events, optionally of one type, with an actor (source or target), between dates."""
        return _frame(query.events(self.db, type=type, actor=actor, date_from=date_from, date_to=date_to, limit=limit),
                      frame)

    def event_types(self, top: int = 10, *, frame: bool = False):
        return _frame(query.event_types(self.db, top=top), frame)

    def search(self, text: str, *, limit: int | None = 20, rank_limit: int | None = None, frame: bool = False):
        """Articles matching a full-text query, best first; the last stored first when more than ``rank_limit``
        match (too common to rank; default: the database's limit, 0: always rank; each row's
        ``order`` says which)."""
        return _frame(query.search(self.db, text, limit=limit, rank_limit=rank_limit), frame)

    def article(self, article_id: int) -> dict[str, Any]:
        """One article with its paragraphs, boilerplate, entities, quotes, events and copies."""
        return query.article(self.db, article_id)

    def export(self, table: str, out: str | Path, format: str = "parquet") -> int:
        """Write articles, quotes, entities or events to Parquet, CSV or JSON lines."""
        return query.export(self.db, table, Path(out), format)

    def counts(self) -> dict[str, int]:
        return self.db.counts()
